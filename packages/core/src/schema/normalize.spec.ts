import { normalizeSchema, unwrapArguments, wrapArguments } from './normalize';
import { validateAgainst } from './validator';

describe('normalizeSchema', () => {
  it('reads Python-style type names as JSON types, one warning per change naming tool and path', () => {
    const { schema, warnings, wrapped } = normalizeSchema(
      {
        type: 'dict',
        properties: {
          ratio: { type: 'float' },
          big: { type: 'double' },
          count: { type: 'int' },
          ok: { type: 'bool' },
          names: { type: 'list', items: { type: 'str' } },
          pair: { type: 'tuple' },
          anything: { type: 'any' },
          maybe: { type: ['str', 'None'] },
        },
      },
      'py_tool',
    );
    expect(wrapped).toBe(false);
    expect(schema).toEqual({
      type: 'object',
      properties: {
        ratio: { type: 'number' },
        big: { type: 'number' },
        count: { type: 'integer' },
        ok: { type: 'boolean' },
        names: { type: 'array', items: { type: 'string' } },
        pair: { type: 'array' },
        anything: {},
        maybe: { type: ['string', 'null'] },
      },
    });
    expect(warnings).toHaveLength(10);
    expect(warnings).toContain(`tool 'py_tool': /properties/ratio: type "float" read as "number"`);
    expect(warnings).toContain(`tool 'py_tool': /properties/names/items: type "str" read as "string"`);
    expect(warnings).toContain(`tool 'py_tool': /properties/anything: type "any" read as "any value" (no type)`);
    expect(warnings).toContain(`tool 'py_tool': (root): type "dict" read as "object"`);
  });

  it('leaves a standard schema untouched and silent', () => {
    const input = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    expect(normalizeSchema(input, 't')).toEqual({ schema: input, warnings: [], wrapped: false });
  });

  it('does not modify its input', () => {
    const input = { type: 'dict', properties: { a: { type: 'str' } } };
    const copy = JSON.parse(JSON.stringify(input));
    normalizeSchema(input, 't');
    expect(input).toEqual(copy);
  });

  it.each([
    ['a bare $schema', { $schema: 'http://json-schema.org/draft-07/schema#' }],
    ['an empty object', {}],
    ['undefined', undefined],
    ['true', true],
  ])('reads %s as an object without parameters', (_label, input) => {
    const { schema, warnings } = normalizeSchema(input, 'gitlab_tool');
    expect(schema).toMatchObject({ type: 'object', properties: {} });
    expect(warnings).toEqual([`tool 'gitlab_tool': (root): has no parameters declared; read as an object without parameters`]);
  });

  it('wraps a non-object root for generation and unwrapArguments undoes it', () => {
    const { schema, warnings, wrapped } = normalizeSchema({ type: 'string', minLength: 1 }, 'run_sql');
    expect(wrapped).toBe(true);
    expect(schema).toEqual({
      type: 'object',
      properties: { input: { type: 'string', minLength: 1 } },
      required: ['input'],
      additionalProperties: false,
    });
    expect(warnings[0]).toMatch(/^tool 'run_sql': \(root\): is not an object schema; wrapped/);
    expect(unwrapArguments({ input: 'SELECT 1' }, { wrapped })).toBe('SELECT 1');
    expect(wrapArguments('SELECT 1', { wrapped })).toEqual({ input: 'SELECT 1' });
    expect(unwrapArguments({ input: 'x' }, { wrapped: false })).toEqual({ input: 'x' });
  });

  it('re-points references into a wrapped root (recursive arrays stay valid)', () => {
    const root = { type: 'array', items: { anyOf: [{ type: 'integer' }, { $ref: '#' }] } };
    const { schema } = normalizeSchema(root, 'nested_list');
    expect(validateAgainst(schema, { input: [1, [2, [3]]] }).valid).toBe(true);
    expect(validateAgainst(schema, { input: [1, ['x']] }).valid).toBe(false);
  });

  it('gives a root without type but with properties, or object branches, the object type', () => {
    expect(normalizeSchema({ properties: { a: { type: 'string' } } }, 't').schema.type).toBe('object');
    const branches = { oneOf: [{ type: 'object', properties: { a: {} } }, { properties: { b: {} } }] };
    const result = normalizeSchema(branches, 't');
    expect(result.schema.type).toBe('object');
    expect(result.wrapped).toBe(false);
  });

  it('reads a nullable object root as an object', () => {
    const { schema, warnings } = normalizeSchema({ type: ['object', 'null'], properties: {} }, 't');
    expect(schema.type).toBe('object');
    expect(warnings).toHaveLength(1);
  });

  it('fixes OpenAPI nullable, draft-04 exclusive bounds and required: true on properties', () => {
    const { schema, warnings } = normalizeSchema(
      {
        type: 'object',
        properties: {
          note: { type: 'string', nullable: true },
          color: { enum: ['red'], nullable: true },
          retries: { type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 5, exclusiveMaximum: false },
          owner: { type: 'string', required: true },
          guest: { type: 'string', required: false },
        },
      },
      't',
    );
    expect(schema.properties).toEqual({
      note: { type: ['string', 'null'] },
      color: { enum: ['red', null] },
      retries: { type: 'integer', exclusiveMinimum: 0, maximum: 5 },
      owner: { type: 'string' },
      guest: { type: 'string' },
    });
    expect(schema.required).toEqual(['owner']);
    expect(warnings).toHaveLength(6);
    expect(validateAgainst(schema, { owner: 'a', retries: 0 }).valid).toBe(false);
    expect(validateAgainst(schema, { owner: 'a', retries: 1, note: null }).valid).toBe(true);
  });

  it('drops what ajv cannot compile: unresolvable refs, broken patterns, non-list enums and required', () => {
    const { schema, warnings } = normalizeSchema(
      {
        type: 'object',
        properties: {
          a: { $ref: 'https://example.com/other.json' },
          b: { $ref: '#/$defs/Missing', description: 'kept' },
          c: { type: 'string', pattern: '([a-z' },
          d: { enum: 'red' },
          e: 'not a schema',
        },
        required: 'a',
      },
      't',
    );
    expect(schema.properties).toEqual({ a: {}, b: { description: 'kept' }, c: { type: 'string' }, d: {}, e: {} });
    expect(schema.required).toBeUndefined();
    expect(warnings).toHaveLength(6);
    expect(validateAgainst(schema, { a: 1 }).errors).toEqual([]);
  });

  it('rewrites draft-07 tuples in a 2020-12 schema to prefixItems', () => {
    const { schema } = normalizeSchema(
      { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { p: { type: 'array', items: [{ type: 'number' }, { type: 'string' }] } } },
      't',
    );
    expect((schema.properties as Record<string, unknown>).p).toEqual({ type: 'array', prefixItems: [{ type: 'number' }, { type: 'string' }] });
    expect(validateAgainst(schema, { p: [1, 'a'] }).valid).toBe(true);
    expect(validateAgainst(schema, { p: ['a', 1] }).valid).toBe(false);
  });
});
