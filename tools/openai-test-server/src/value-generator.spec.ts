// Generated values must validate against the schema they came from (checked with ajv over many seeds).
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { UserHints } from './hints';
import { stringForPattern } from './pattern-string';
import { Rng } from './rng';
import { generateValue } from './value-generator';

const ajv = new Ajv({ strict: false });
addFormats(ajv);

const schemas: Record<string, Record<string, unknown>> = {
  mcpStyle: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'File path' },
      mode: { type: 'string', enum: ['read', 'write'], default: 'read' },
      recursive: { type: 'boolean' },
      depth: { type: 'integer', minimum: 1, maximum: 5 },
      exclude: { type: 'array', items: { type: 'string' }, uniqueItems: true },
      env: { type: 'object', additionalProperties: { type: 'string' } },
    },
    required: ['path'],
  },
  formats: {
    type: 'object',
    properties: {
      email: { type: 'string', format: 'email' },
      site: { type: 'string', format: 'uri' },
      day: { type: 'string', format: 'date' },
      at: { type: 'string', format: 'date-time' },
      time: { type: 'string', format: 'time' },
      id: { type: 'string', format: 'uuid' },
      ip: { type: 'string', format: 'ipv4' },
      ip6: { type: 'string', format: 'ipv6' },
      host: { type: 'string', format: 'hostname' },
      code: { type: 'string', pattern: '^[A-Z]{3}-\\d{2,4}$' },
      short: { type: 'string', minLength: 12, maxLength: 14 },
    },
    required: ['email', 'site', 'day', 'at', 'time', 'id', 'ip', 'ip6', 'host', 'code', 'short'],
  },
  numbers: {
    type: 'object',
    properties: {
      price: { type: 'number', exclusiveMinimum: 0, maximum: 5 },
      step: { type: 'integer', multipleOf: 5, minimum: 7, maximum: 40 },
      neg: { type: 'number', maximum: -3 },
      ratio: { type: 'number', minimum: 0.1, maximum: 0.2 },
    },
    required: ['price', 'step', 'neg', 'ratio'],
  },
  composition: {
    type: 'object',
    properties: {
      target: { oneOf: [{ type: 'object', properties: { url: { type: 'string', format: 'uri' } }, required: ['url'], additionalProperties: false }, { type: 'object', properties: { file: { type: 'string' } }, required: ['file'], additionalProperties: false }] },
      merged: { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { const: 2 } }, required: ['b'] }] },
      maybe: { type: ['integer', 'null'] },
      kind: { const: 'fixed' },
      pair: { type: 'array', items: [{ type: 'string' }, { type: 'number' }], minItems: 2, maxItems: 2 },
      bag: { type: 'object', minProperties: 2 },
    },
    required: ['target', 'merged', 'maybe', 'kind', 'pair', 'bag'],
  },
  recursive: {
    type: 'object',
    properties: { root: { $ref: '#/definitions/node' } },
    required: ['root'],
    definitions: {
      node: {
        type: 'object',
        properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/definitions/node' } }, parent: { anyOf: [{ $ref: '#/definitions/node' }, { type: 'null' }] } },
        required: ['name', 'children', 'parent'],
        additionalProperties: false,
      },
    },
  },
  arrayRoot: { type: 'array', items: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] }, minItems: 2 },
  untyped: { properties: { anything: {}, list: { items: { type: 'integer' } } }, required: ['anything', 'list'] },
};

describe('generateValue', () => {
  it.each(Object.keys(schemas))('produces valid values for %s over many seeds', (name) => {
    const validate = ajv.compile(schemas[name]);
    for (let seed = 0; seed < 60; seed++) {
      const value = generateValue(schemas[name], { rng: new Rng(seed) });
      if (!validate(value)) throw new Error(`seed ${seed}: ${JSON.stringify(value)} ${ajv.errorsText(validate.errors)}`);
    }
  });

  it('is deterministic for a seed and fills every property in strict mode, in schema order', () => {
    const schema = schemas.mcpStyle;
    expect(generateValue(schema, { rng: new Rng(4) })).toEqual(generateValue(schema, { rng: new Rng(4) }));
    const strict = generateValue(schema, { rng: new Rng(4), strict: true }) as Record<string, unknown>;
    expect(Object.keys(strict)).toEqual(Object.keys(schema.properties as object));
  });

  it('includes some optional properties, not always the same ones, when not strict', () => {
    const keySets = new Set<string>();
    for (let seed = 0; seed < 20; seed++) keySets.add(Object.keys(generateValue(schemas.mcpStyle, { rng: new Rng(seed) }) as object).join(','));
    expect(keySets.size).toBeGreaterThan(3);
  });

  it('prefers values from the user message: quoted, after a colon, capitalised, enum words, numbers', () => {
    const schema = {
      type: 'object',
      properties: {
        city: { type: 'string' },
        title: { type: 'string' },
        owner_name: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer', minimum: 1, maximum: 10 },
        limit: { type: 'integer' },
      },
      required: ['city', 'title', 'owner_name', 'unit', 'days', 'limit'],
    };
    const hints = new UserHints('Forecast for the next 3 days in Buenos Aires, in fahrenheit, titled title: "Trip plan", owner name Maria Lopez, limit 7.');
    expect(generateValue(schema, { rng: new Rng(1), hints })).toEqual({ city: 'Buenos Aires', title: 'Trip plan', owner_name: 'Maria Lopez', unit: 'fahrenheit', days: 3, limit: 7 });
  });

  it('ignores a hint that would break the schema', () => {
    const schema = { type: 'object', properties: { days: { type: 'integer', maximum: 5 }, code: { type: 'string', pattern: '^[0-9]+$' } }, required: ['days', 'code'] };
    const value = generateValue(schema, { rng: new Rng(2), hints: new UserHints('for 30 days, code: abc') }) as { days: number; code: string };
    expect(value.days).toBeLessThanOrEqual(5);
    expect(value.code).toMatch(/^[0-9]+$/);
  });
});

describe('stringForPattern', () => {
  it.each(['^[a-z]{3,5}$', '^\\d{3}-\\d{4}$', '^(foo|bar)_[0-9a-f]{8}$', '^[A-Z][a-z]+(?: [A-Z][a-z]+)*$', '^[^@\\s]+@example\\.com$', 'v\\d+\\.\\d+'])('matches %s', (pattern) => {
    for (let seed = 0; seed < 20; seed++) expect(stringForPattern(pattern, new Rng(seed))).toMatch(new RegExp(pattern, 'u'));
  });
  it('gives up on lookarounds instead of returning a wrong string', () => {
    expect(stringForPattern('^(?=.*\\d)[a-z\\d]{8}$', new Rng(1))).toBeUndefined();
  });
});
