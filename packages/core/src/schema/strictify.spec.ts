import { checkStrictRules, cleanSchema, strictify } from './strictify';

const obj = (properties: Record<string, unknown>, required: string[] = [], extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  required,
  ...extra,
});

describe('strictify', () => {
  it('closes objects, requires every property and makes the optional ones nullable', () => {
    const result = strictify(
      obj(
        {
          city: { type: 'string' },
          days: { type: 'integer', minimum: 1 },
          units: { type: 'string', enum: ['metric', 'imperial'] },
          when: { $ref: '#/$defs/Day' },
          fixed: { const: 'v2', description: 'API version' },
          opts: { type: 'object', properties: { verbose: { type: 'boolean' } } },
        },
        ['city'],
        { $defs: { Day: { type: 'string', format: 'date' } } },
      ),
    );
    expect(result.reasons).toEqual([]);
    expect(result.strict).toBe(true);
    expect(result.schema).toEqual({
      type: 'object',
      properties: {
        city: { type: 'string' },
        days: { type: ['integer', 'null'], minimum: 1 },
        units: { type: ['string', 'null'], enum: ['metric', 'imperial', null] },
        when: { anyOf: [{ $ref: '#/$defs/Day' }, { type: 'null' }] },
        fixed: { description: 'API version', anyOf: [{ const: 'v2' }, { type: 'null' }] },
        opts: {
          type: ['object', 'null'],
          properties: { verbose: { type: ['boolean', 'null'] } },
          required: ['verbose'],
          additionalProperties: false,
        },
      },
      required: ['city', 'days', 'units', 'when', 'fixed', 'opts'],
      additionalProperties: false,
      $defs: { Day: { type: 'string', format: 'date' } },
    });
  });

  it('moves unsupported keywords into the description', () => {
    const result = strictify(
      obj(
        {
          name: { type: 'string', description: 'Your name', minLength: 3, maxLength: 20, default: 'ann', examples: ['bob'] },
          site: { type: 'string', format: 'uri' },
          tags: { type: 'array', items: { type: 'string' }, uniqueItems: true, minItems: 1 },
          when: { type: 'string', format: 'date-time', pattern: '^2' },
        },
        ['name', 'site', 'tags', 'when'],
      ),
    );
    expect(result.strict).toBe(true);
    const props = (result.schema as { properties: Record<string, unknown> }).properties;
    expect(props.name).toEqual({ type: 'string', description: 'Your name (default: "ann"; minLength: 3; maxLength: 20; examples: ["bob"])' });
    expect(props.site).toEqual({ type: 'string', description: '(format: uri)' });
    expect(props.tags).toEqual({ type: 'array', items: { type: 'string' }, minItems: 1, description: '(uniqueItems: true)' });
    expect(props.when).toEqual({ type: 'string', format: 'date-time', pattern: '^2' });
  });

  it('turns oneOf into anyOf, type lists into anyOf, and distributes keywords next to anyOf', () => {
    const result = strictify(
      obj(
        {
          target: { oneOf: [obj({ file: { type: 'string' } }, ['file']), obj({ url: { type: 'string' } }, ['url'])] },
          label: { type: ['string', 'number'], minLength: 2, minimum: 0, default: 'x' },
          when: { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] },
        },
        ['target', 'label', 'when'],
      ),
    );
    expect(result.reasons).toEqual([]);
    const props = (result.schema as { properties: Record<string, unknown> }).properties;
    expect(props.target).toEqual({
      anyOf: [
        { type: 'object', properties: { file: { type: 'string' } }, required: ['file'], additionalProperties: false },
        { type: 'object', properties: { url: { type: 'string' } }, required: ['url'], additionalProperties: false },
      ],
    });
    expect(props.label).toEqual({
      anyOf: [{ type: 'string', description: '(minLength: 2)' }, { type: 'number', minimum: 0 }],
      description: '(default: "x")',
    });
    expect(props.when).toEqual({ anyOf: [{ type: 'string', format: 'date' }, { type: 'string', format: 'date-time' }] });
  });

  it('renames definitions to $defs, keeps recursive references and inlines $ref with siblings', () => {
    const result = strictify({
      type: 'object',
      definitions: { Node: obj({ name: { type: 'string' }, kids: { type: 'array', items: { $ref: '#/definitions/Node' } } }, ['name', 'kids']) },
      properties: { root: { $ref: '#/definitions/Node', description: 'The top node' }, self: { type: 'array', items: { $ref: '#' } } },
      required: ['root'],
    });
    expect(result.reasons).toEqual([]);
    const schema = result.schema as Record<string, any>;
    expect(schema.properties.root).toEqual({
      description: 'The top node',
      type: 'object',
      properties: { name: { type: 'string' }, kids: { type: 'array', items: { $ref: '#/$defs/Node' } } },
      required: ['name', 'kids'],
      additionalProperties: false,
    });
    expect(schema.properties.self).toEqual({ type: ['array', 'null'], items: { $ref: '#' } });
    expect(Object.keys(schema.$defs)).toEqual(['Node']);
    expect(schema.definitions).toBeUndefined();
  });

  it('hoists pointer references into $defs', () => {
    const result = strictify(obj({ a: obj({ x: { type: 'string' } }, ['x']), b: { $ref: '#/properties/a' } }, ['a', 'b']));
    expect(result.strict).toBe(true);
    expect((result.schema as Record<string, any>).properties.b).toEqual({ $ref: '#/$defs/properties_a' });
  });

  it('keeps an explicitly empty object strict', () => {
    const result = strictify(obj({ opts: { type: 'object', additionalProperties: false } }, ['opts']));
    expect(result.strict).toBe(true);
    expect((result.schema as Record<string, any>).properties.opts).toEqual({ type: 'object', properties: {}, required: [], additionalProperties: false });
  });

  it('merges a single allOf', () => {
    const result = strictify(obj({ spec: { allOf: [obj({ image: { type: 'string' } }, ['image'])], description: 'Spec' } }, ['spec']));
    expect(result.strict).toBe(true);
    expect((result.schema as Record<string, any>).properties.spec).toMatchObject({ type: 'object', description: 'Spec', required: ['image'] });
  });

  it.each([
    ['an untyped value', obj({ v: {} }, ['v']), '/properties/v: accepts any value'],
    ['an open map (schema)', obj({ m: { type: 'object', additionalProperties: { type: 'string' } } }), '/properties/m: open map'],
    ['an open map (true)', obj({ m: { type: 'object', additionalProperties: true } }), '/properties/m: open map'],
    ['an open map ({})', obj({ m: { type: 'object', additionalProperties: {} } }), '/properties/m: open map'],
    ['an object without properties', obj({ m: { type: 'object' } }), '/properties/m: object without declared properties'],
    ['allOf of two', obj({ v: { allOf: [{ type: 'string' }, { minLength: 2 }] } }), '/properties/v: allOf of 2 schemas'],
    ['not', obj({ v: { type: 'string', not: { const: 'a' } } }), '/properties/v: "not" is not supported'],
    ['a tuple', obj({ v: { type: 'array', items: [{ type: 'string' }] } }), 'tuples'],
    ['an array without items', obj({ v: { type: 'array' } }), '/properties/v: array without an items schema'],
    ['a root anyOf', { type: 'object', anyOf: [obj({ a: { type: 'string' } })] }, '(root): the root must be a plain object'],
    ['a non-object root', { type: 'string' }, '(root): is not an object schema'],
    ['a required name that is not declared', obj({}, ['ghost']), 'required property "ghost" is not declared'],
    ['too many enum values', obj({ e: { type: 'string', enum: Array.from({ length: 1001 }, (_, i) => `v${i}`) } }, ['e']), 'enum has 1001 values'],
    ['too many properties', obj(Object.fromEntries(Array.from({ length: 5001 }, (_, i) => [`p${i}`, { type: 'string' }]))), '5001 properties'],
  ])('is not strict for %s', (_label, schema, reason) => {
    const result = strictify(schema);
    expect(result.strict).toBe(false);
    expect(result.reasons.join('\n')).toContain(reason);
  });

  it('returns the cleaned original when it cannot be strict', () => {
    const original = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      definitions: { Meta: { type: 'object', additionalProperties: true } },
      properties: { meta: { $ref: '#/definitions/Meta' }, n: { type: 'integer', default: 1 } },
    };
    const result = strictify(original);
    expect(result.strict).toBe(false);
    expect(result.schema).toEqual({
      type: 'object',
      properties: { meta: { $ref: '#/$defs/Meta' }, n: { type: 'integer', default: 1 } },
      $defs: { Meta: { type: 'object', additionalProperties: true } },
    });
    expect(cleanSchema(original)).toEqual(result.schema);
  });
});

describe('checkStrictRules', () => {
  const ok = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };

  it('accepts a strict schema', () => {
    expect(checkStrictRules(ok)).toEqual([]);
  });

  it.each([
    ['an optional property', { ...ok, required: [] }, '(root): every property must be required (missing: a)'],
    ['additionalProperties missing', { ...ok, additionalProperties: undefined }, '(root): additionalProperties must be false'],
    ['an unsupported keyword', { ...ok, properties: { a: { type: 'string', minLength: 1 } } }, '/properties/a: keyword "minLength" is not supported'],
    ['an unsupported format', { ...ok, properties: { a: { type: 'string', format: 'uri' } } }, '/properties/a: format "uri" is not supported'],
    ['an untyped node', { ...ok, properties: { a: {} } }, '/properties/a: has no type'],
    ['a $ref with siblings', { ...ok, properties: { a: { $ref: '#', description: 'x' } } }, '/properties/a: $ref must not have sibling keywords'],
    ['a dangling $ref', { ...ok, properties: { a: { $ref: '#/$defs/Nope' } } }, 'does not point to the root or a $defs entry'],
    ['a wide type list', { ...ok, properties: { a: { type: ['string', 'number'] } } }, 'a type list must be [T, "null"]'],
    ['a non-object root', { type: 'array', items: { type: 'string' } }, '(root): type must be "object"'],
    ['oneOf', { ...ok, properties: { a: { oneOf: [{ type: 'string' }] } } }, 'keyword "oneOf" is not supported'],
  ])('reports %s', (_label, schema, problem) => {
    expect(checkStrictRules(schema as Record<string, unknown>).join('\n')).toContain(problem);
  });

  it('counts nesting depth through references', () => {
    let node: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 10; i++) node = { type: 'object', properties: { x: node }, required: ['x'], additionalProperties: false };
    const schema = { ...ok, properties: { a: { $ref: '#/$defs/Deep' } }, $defs: { Deep: node } };
    expect(checkStrictRules(schema)).toContain('(root): objects nest 11 levels (limit 10)');
  });
});
