import { strictify } from './strictify';
import { unstrictify } from './unstrictify';
import { validateAgainst } from './validator';

describe('unstrictify', () => {
  const original = {
    type: 'object',
    properties: {
      city: { type: 'string' },
      days: { type: 'integer' },
      note: { type: ['string', 'null'] },
      address: { $ref: '#/$defs/Address' },
      stops: { type: 'array', items: { $ref: '#/$defs/Address' } },
      target: {
        anyOf: [
          { type: 'object', properties: { file: { type: 'string' }, line: { type: 'integer' } }, required: ['file'], additionalProperties: false },
          { type: 'object', properties: { url: { type: 'string' }, depth: { type: 'integer' } }, required: ['url'], additionalProperties: false },
        ],
      },
      children: { type: 'array', items: { $ref: '#' } },
    },
    required: ['city', 'note'],
    $defs: {
      Address: { type: 'object', properties: { street: { type: 'string' }, zip: { type: 'string' } }, required: ['street'] },
    },
  };

  it('removes nulls of optional properties, keeps nulls the original allows', () => {
    const strictArgs = {
      city: 'Oslo',
      days: null,
      note: null,
      address: { street: 'Main St', zip: null },
      stops: [{ street: 'A', zip: null }, { street: 'B', zip: '123' }],
      target: { url: 'https://x.io', depth: null },
      children: [{ city: 'Bergen', days: 2, note: null, address: null, stops: null, target: null, children: null }],
    };
    expect(validateAgainst(original, strictArgs).valid).toBe(false);
    const args = unstrictify(strictArgs, original);
    expect(args).toEqual({
      city: 'Oslo',
      note: null,
      address: { street: 'Main St' },
      stops: [{ street: 'A' }, { street: 'B', zip: '123' }],
      target: { url: 'https://x.io' },
      children: [{ city: 'Bergen', days: 2, note: null }],
    });
    expect(validateAgainst(original, args).errors).toEqual([]);
  });

  it('does not change its input and passes valid arguments through', () => {
    const args = { city: 'Oslo', note: 'x', target: { file: 'a.txt', line: 3 } };
    const copy = JSON.parse(JSON.stringify(args));
    expect(unstrictify(args, original)).toEqual(copy);
    expect(args).toEqual(copy);
  });

  it('keeps an optional null that an optional nullable property allows', () => {
    const schema = { type: 'object', properties: { a: { anyOf: [{ type: 'string' }, { type: 'null' }] }, b: { type: 'string' } } };
    expect(unstrictify({ a: null, b: null }, schema)).toEqual({ a: null });
  });

  it('round-trips the strict form of a draft-07 definitions schema', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      definitions: { Tag: { type: 'object', properties: { name: { type: 'string' }, color: { type: 'string', enum: ['red', 'blue'] } }, required: ['name'] } },
      properties: { tags: { type: 'array', items: { $ref: '#/definitions/Tag' } }, limit: { type: 'integer', default: 10 } },
      required: ['tags'],
    };
    const strict = strictify(schema);
    expect(strict.strict).toBe(true);
    const strictArgs = { tags: [{ name: 'a', color: null }, { name: 'b', color: 'red' }], limit: null };
    expect(validateAgainst(strict.schema, strictArgs).errors).toEqual([]);
    const args = unstrictify(strictArgs, schema);
    expect(args).toEqual({ tags: [{ name: 'a' }, { name: 'b', color: 'red' }] });
    expect(validateAgainst(schema, args).valid).toBe(true);
  });
});
