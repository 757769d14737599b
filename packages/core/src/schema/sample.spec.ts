import type { ToolDef } from '../types';
import { createRng } from '../util/rng';
import { describeValue, sampleArguments, SchemaSampleError, sampleValue } from './sample';
import { validateAgainst } from './validator';

const many = (schema: Record<string, unknown>, mode: 'typical' | 'edge' = 'typical', n = 40, name?: string) =>
  Array.from({ length: n }, (_, seed) => sampleValue(schema, { rng: createRng(seed), mode, name }));

describe('sampleValue', () => {
  it('is deterministic for a seed and varies across seeds', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' }, n: { type: 'integer' } }, required: ['city', 'n'] };
    expect(sampleValue(schema, { rng: createRng(7) })).toEqual(sampleValue(schema, { rng: createRng(7) }));
    expect(new Set(many(schema).map((v) => JSON.stringify(v))).size).toBeGreaterThan(30);
  });

  it('uses faker for named properties', () => {
    const schema = {
      type: 'object',
      properties: { email: { type: 'string' }, city: { type: 'string' }, latitude: { type: 'number' }, uuid: { type: 'string' }, limit: { type: 'integer' } },
      required: ['email', 'city', 'latitude', 'uuid', 'limit'],
    };
    for (const v of many(schema) as Record<string, unknown>[]) {
      expect(v.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/i);
      expect(v.city).toMatch(/^[A-Z]/);
      expect(v.latitude).toBeGreaterThanOrEqual(-90);
      expect(v.latitude).toBeLessThanOrEqual(90);
      expect(v.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
      expect(v.limit).toBeGreaterThanOrEqual(1);
      expect(v.limit).toBeLessThanOrEqual(50);
    }
  });

  it('honours bounds, multipleOf, lengths and formats', () => {
    const schema = {
      type: 'object',
      properties: {
        step: { type: 'number', multipleOf: 0.1, exclusiveMinimum: 0, maximum: 1 },
        code: { type: 'string', minLength: 5, maxLength: 5 },
        day: { type: 'string', format: 'date' },
        at: { type: 'string', format: 'date-time' },
        host: { type: 'string', format: 'hostname' },
        in2024: { type: 'string', format: 'date', pattern: '^2024-' },
        mixed: { type: 'string', enum: ['a', 1, null] },
      },
      required: ['step', 'code', 'day', 'at', 'host', 'in2024', 'mixed'],
    };
    for (const mode of ['typical', 'edge'] as const) {
      for (const v of many(schema, mode) as Record<string, unknown>[]) {
        expect(validateAgainst(schema, v).errors).toEqual([]);
        expect(v.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
  });

  it('generates strings for common patterns', () => {
    const patterns = ['^[a-z0-9-]+$', '^\\d{4}-\\d{2}$', '^[A-Z]{2,3}_[0-9]+$', '^(feat|fix)/[a-z]+$', '^#[0-9a-f]{6}$'];
    for (const pattern of patterns) {
      for (const v of many({ type: 'string', pattern, maxLength: 30 })) expect(v).toMatch(new RegExp(pattern, 'u'));
    }
  });

  it('picks boundary values in edge mode', () => {
    const values = many({ type: 'integer', minimum: -5, maximum: 10 }, 'edge', 60);
    expect(values).toContain(-5);
    expect(values).toContain(10);
    expect(values).toContain(0);
    const lists = many({ type: 'array', items: { type: 'string' }, maxItems: 4 }, 'edge', 40) as unknown[][];
    expect(lists.some((l) => l.length === 0)).toBe(true);
    expect(lists.some((l) => l.length === 4)).toBe(true);
    const names = many({ type: 'string' }, 'edge', 40, 'name') as string[];
    expect(names.some((n) => /[^\x00-\x7f]/.test(n))).toBe(true);
    const texts = many({ type: 'string', maxLength: 300 }, 'edge', 40, 'description') as string[];
    expect(texts.some((t) => [...t].length === 300)).toBe(true);
  });

  it('includes optional properties by the given share', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } };
    expect(sampleValue(schema, { rng: createRng(1), includeOptional: 0 })).toEqual({});
    expect(Object.keys(sampleValue(schema, { rng: createRng(1), includeOptional: 1 }) as object)).toEqual(['a', 'b']);
  });

  it('ends recursive schemas', () => {
    const tree = { type: 'object', properties: { name: { type: 'string' }, kids: { type: 'array', items: { $ref: '#' } } }, required: ['name', 'kids'] };
    for (const v of many(tree, 'typical', 20)) expect(validateAgainst(tree, v).valid).toBe(true);
  });

  it('samples a subschema against its root', () => {
    const root = { type: 'object', $defs: { Color: { enum: ['red', 'green'] } }, properties: { c: { $ref: '#/$defs/Color' } } };
    expect(['red', 'green']).toContain(sampleValue({ $ref: '#/$defs/Color' }, { rng: createRng(3), root }));
  });

  it('throws a clear error for a schema nothing satisfies', () => {
    expect(() => sampleValue({ type: 'string', minLength: 5, maxLength: 2 }, { rng: createRng(1), name: 'code' })).toThrow(SchemaSampleError);
    expect(() => sampleValue({ type: 'object', properties: { x: false }, required: ['x'] }, { rng: createRng(1) })).toThrow(/cannot sample a valid value/);
  });
});

describe('sampleArguments', () => {
  const tool = (inputSchema: unknown): ToolDef => ({ name: 'run_sql', serverToolName: 'run_sql', server: 0, description: '', inputSchema: inputSchema as ToolDef['inputSchema'] });

  it('samples the tool input object', () => {
    const args = sampleArguments(tool({ type: 'dict', properties: { q: { type: 'str' } }, required: ['q'] }), { rng: createRng(2) });
    expect(args).toEqual({ q: expect.any(String) });
  });

  it('returns the bare value of a non-object root (the wrapper undone)', () => {
    const args = sampleArguments(tool({ type: 'string', minLength: 10 }), { rng: createRng(2) });
    expect(typeof args).toBe('string');
    expect((args as string).length).toBeGreaterThanOrEqual(10);
    expect(args).toMatch(/^SELECT /);
  });
});

describe('describeValue', () => {
  it('writes values as readable text', () => {
    expect(describeValue('Paris')).toBe('Paris');
    expect(describeValue(3)).toBe('3');
    expect(describeValue(['red', 'green', 'blue'])).toBe('"red", "green" and "blue"');
    expect(describeValue({ name: 'Ada', tags: ['x'], meta: { a: 1 }, gone: null })).toBe('name: "Ada", tags: "x", meta: (a: 1), gone: none');
    expect(describeValue([])).toBe('an empty list');
    expect(describeValue({})).toBe('nothing');
  });
});
