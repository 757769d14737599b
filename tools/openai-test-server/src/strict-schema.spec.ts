// The strict-mode rules and their messages.
import { findLooseSchemaError, findStrictSchemaError, pythonTuple } from './strict-schema';

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
  ...extra,
});

describe('findStrictSchemaError', () => {
  it('accepts the documented subset: nullable types, anyOf, enums, formats, $defs with recursion', () => {
    const schema = obj(
      {
        name: { type: 'string', pattern: '^[A-Z]', description: 'x' },
        when: { type: ['string', 'null'], format: 'date-time' },
        n: { type: 'number', minimum: 0, exclusiveMaximum: 10, multipleOf: 0.5 },
        pick: { type: 'string', enum: ['a', 'b'] },
        fixed: { const: 'v' },
        either: { anyOf: [{ type: 'string' }, obj({ x: { type: 'integer' } }), { type: 'null' }] },
        tree: { $ref: '#/$defs/node' },
        again: { $ref: '#' },
        list: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 },
        empty: { type: 'object', properties: {}, required: [], additionalProperties: false },
      },
      { $defs: { node: obj({ children: { type: 'array', items: { $ref: '#/$defs/node' } } }) } },
    );
    expect(findStrictSchemaError(schema)).toBeNull();
  });

  it.each([
    ['a nested object without additionalProperties:false', obj({ a: { type: 'object', properties: {}, required: [] } }), "In context=('properties', 'a'), 'additionalProperties' is required to be supplied and to be false."],
    ['additionalProperties true at the root', { ...obj({ a: { type: 'string' } }), additionalProperties: true }, "In context=(), 'additionalProperties' is required to be supplied and to be false."],
    ['an optional property', { ...obj({ a: { type: 'string' }, b: { type: 'string' } }), required: ['a'] }, "In context=(), 'required' is required to be supplied and to be an array including every key in properties. Missing 'b'."],
    ['an extra required key', { ...obj({ a: { type: 'string' } }), required: ['a', 'z'] }, "In context=(), 'required' is required to be supplied and to be an array including every key in properties. Extra required key 'z' supplied."],
    ['allOf', obj({ a: { allOf: [{ type: 'string' }] } }), "In context=('properties', 'a'), 'allOf' is not permitted."],
    ['oneOf', obj({ a: { oneOf: [{ type: 'string' }] } }), "In context=('properties', 'a'), 'oneOf' is not permitted."],
    ['default', obj({ a: { type: 'string', default: 'x' } }), "In context=('properties', 'a'), 'default' is not permitted."],
    ['minLength inside array items', obj({ a: { type: 'array', items: { type: 'string', minLength: 2 } } }), "In context=('properties', 'a', 'items'), 'minLength' is not permitted."],
    ['patternProperties', obj({ a: { type: 'object', patternProperties: {}, additionalProperties: false } }), "In context=('properties', 'a'), 'patternProperties' is not permitted."],
    ['a problem inside an anyOf branch', obj({ a: { anyOf: [{ type: 'string' }, { type: 'object', properties: {} }] } }), "In context=('properties', 'a', 'anyOf', 1), 'additionalProperties' is required to be supplied and to be false."],
    ['a problem inside $defs', obj({ a: { $ref: '#/$defs/d' } }, { $defs: { d: { type: 'object', properties: { q: { type: 'string' } }, additionalProperties: false } } }), "In context=('$defs', 'd'), 'required' is required to be supplied and to be an array including every key in properties. Missing 'q'."],
    ['$ref with sibling keywords', obj({ a: { $ref: '#/$defs/d', description: 'x' } }, { $defs: { d: { type: 'string' } } }), "In context=('properties', 'a'), $ref cannot have keywords {'description'}."],
    ['a dangling $ref', obj({ a: { $ref: '#/$defs/missing' } }), "In context=('properties', 'a'), reference to component '#/$defs/missing' which was not found in the schema."],
    ['an array without items', obj({ a: { type: 'array' } }), "In context=('properties', 'a'), array schema missing items."],
    ['a node without a type', obj({ a: {} }), "In context=('properties', 'a'), schema must have a 'type' key."],
    ['a non-standard type', obj({ a: { type: 'dict' } }), "In context=('properties', 'a'), 'dict' is not valid under any of the given schemas."],
    ['an array root', { type: 'array', items: { type: 'string' } }, `schema must be a JSON Schema of 'type: "object"', got 'type: "array"'.`],
    ['an anyOf root', { anyOf: [obj({})] }, `schema must be a JSON Schema of 'type: "object"', got 'type: "None"'.`],
  ])('rejects %s', (_label, schema, message) => {
    expect(findStrictSchemaError(schema)).toBe(message);
  });

  it('enforces the size limits: nesting depth, property count, enum values', () => {
    let deep: Record<string, unknown> = obj({ leaf: { type: 'string' } });
    for (let i = 0; i < 10; i++) deep = obj({ child: deep });
    expect(findStrictSchemaError(deep)).toMatch(/more than 10 levels deep/);
    const wide = obj(Object.fromEntries(Array.from({ length: 5001 }, (_, i) => [`p${i}`, { type: 'string' }])));
    expect(findStrictSchemaError(wide)).toMatch(/5001 object properties in total, more than the limit of 5000/);
    const enums = obj({ a: { type: 'string', enum: Array.from({ length: 1001 }, (_, i) => `v${i}`) } });
    expect(findStrictSchemaError(enums)).toMatch(/1001 enum values in total/);
  });
});

describe('findLooseSchemaError', () => {
  it('accepts open schemas but still wants valid types and, for functions, an object root', () => {
    expect(findLooseSchemaError({ type: 'object', properties: { a: { type: 'string', default: 'x', minLength: 1 } }, additionalProperties: {} }, true)).toBeNull();
    expect(findLooseSchemaError({ type: 'object', properties: { a: { type: 'dict' } } }, true)).toBe("In context=('properties', 'a'), 'dict' is not valid under any of the given schemas.");
    expect(findLooseSchemaError({ type: 'string' }, true)).toBe(`schema must be a JSON Schema of 'type: "object"', got 'type: "string"'.`);
    expect(findLooseSchemaError({ type: 'string' }, false)).toBeNull();
  });
});

it('prints contexts as Python tuples', () => {
  expect([pythonTuple([]), pythonTuple(['items']), pythonTuple(['anyOf', 0])]).toEqual(['()', "('items',)", "('anyOf', 0)"]);
});
