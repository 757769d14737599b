// The shipped schema itself: valid draft-07 (ajv strict), closed objects, described fields, and
// defaults that match what the loader applies.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync } from 'node:fs';
import { deref, withDefaults } from './defaults';
import { FORGE_SCHEMA_PATH, forgeSchema, type SchemaNode } from './schema';
import { closestKey, editDistance } from './suggest';
import { isToolSelected } from './tool-filter';
import { SCENARIOS } from '../types';

/** Every object schema in the file with its JSON pointer. */
function objectSchemas(node: unknown, at = '#', out: [string, SchemaNode][] = []): [string, SchemaNode][] {
  if (!node || typeof node !== 'object') return out;
  const n = node as SchemaNode;
  if (n.type === 'object') out.push([at, n]);
  for (const [k, v] of Object.entries(n)) if (v && typeof v === 'object') objectSchemas(v, `${at}/${k}`, out);
  return out;
}

describe('forge.schema.json', () => {
  it('compiles as draft-07 in ajv strict mode', () => {
    const ajv = new Ajv({ strict: true, allowUnionTypes: true });
    addFormats(ajv);
    expect(() => ajv.compile(forgeSchema)).not.toThrow();
    expect(forgeSchema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(existsSync(FORGE_SCHEMA_PATH)).toBe(true);
  });

  it('closes every object: additionalProperties false, or a typed map', () => {
    const open = objectSchemas(forgeSchema).filter(([, n]) => n.additionalProperties !== false && typeof n.additionalProperties !== 'object');
    expect(open.map(([at]) => at)).toEqual([]);
  });

  it('describes every field', () => {
    const undescribed: string[] = [];
    for (const [at, n] of objectSchemas(forgeSchema)) {
      for (const [key, sub] of Object.entries((n.properties ?? {}) as Record<string, SchemaNode>)) {
        if (typeof deref(sub).description !== 'string') undescribed.push(`${at}/properties/${key}`);
      }
    }
    expect(undescribed).toEqual([]);
  });

  it('lists exactly the scenarios of the data model', () => {
    expect(Object.keys((forgeSchema.properties as Record<string, SchemaNode>).scenarios.properties as SchemaNode)).toEqual([...SCENARIOS]);
  });

  it('has a default mix that sums to 1', () => {
    const mix = (forgeSchema.properties as Record<string, SchemaNode>).scenarios.default as Record<string, number>;
    expect(Object.values(mix).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('fills defaults deeply without overwriting given values', () => {
    const out = withDefaults<Record<string, Record<string, unknown>>>({ generator: { model: 'm' }, dedup: { bands: 16 } });
    expect(out.generator).toMatchObject({ model: 'm', provider: 'auto', concurrency: 'auto' });
    expect(out.dedup).toEqual({ threshold: 0.85, numPerm: 128, bands: 16, shingle: 3 });
  });
});

describe('suggestions', () => {
  it('counts a swap of two adjacent letters as one edit', () => {
    expect(editDistance('sampels', 'samples')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
  it('suggests only close keys, folding case and separators', () => {
    expect(closestKey('sampels', ['samples', 'seed'])).toBe('samples');
    expect(closestKey('base_url', ['baseURL', 'batch'])).toBe('baseURL');
    expect(closestKey('zzz', ['samples', 'seed'])).toBeUndefined();
  });
});

describe('isToolSelected', () => {
  it('applies include then exclude, with * wildcards', () => {
    const tools = { include: ['wx_*', 'ping'], exclude: ['wx_delete*'], overrides: {} };
    expect(isToolSelected(tools, 'wx_forecast')).toBe(true);
    expect(isToolSelected(tools, 'ping')).toBe(true);
    expect(isToolSelected(tools, 'wx_delete_city')).toBe(false);
    expect(isToolSelected(tools, 'other')).toBe(false);
    expect(isToolSelected({ exclude: [], overrides: {} }, 'a.b')).toBe(true);
    expect(isToolSelected({ include: ['a.b'], exclude: [], overrides: {} }, 'axb')).toBe(false);
  });
});
