// The Structured Outputs subset: the rules OpenAI applies to `strict: true` function parameters and
// to strict `response_format: json_schema`, with the error wording the API uses
// ("In context=('properties', 'a'), 'additionalProperties' is required to be supplied and to be false.").

type Schema = Record<string, unknown>;
type Context = (string | number)[];

/** Keywords the API rejects in strict schemas: the documented ones, the ones reported in practice
 * (`default`, `minLength`, `maxLength`, `oneOf`) and those the SDK's own strictifier refuses. */
export const STRICT_UNSUPPORTED_KEYWORDS = [
  'allOf', 'not', 'if', 'then', 'else', 'dependentRequired', 'dependentSchemas', 'dependencies',
  'oneOf', 'patternProperties', 'default', 'minLength', 'maxLength',
  'propertyNames', 'minProperties', 'maxProperties', 'uniqueItems', 'contains', 'minContains', 'maxContains',
  'prefixItems', 'additionalItems', 'unevaluatedItems', 'unevaluatedProperties',
  '$anchor', '$dynamicRef', '$dynamicAnchor', 'contentEncoding', 'contentMediaType',
];

export const STRICT_LIMITS = {
  maxNesting: 10,
  maxProperties: 5000,
  maxEnumValues: 1000,
  maxStringChars: 120_000,
  bigEnumSize: 250,
  bigEnumChars: 15_000,
};

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

class SchemaRuleError extends Error {}

/** Python repr of a context tuple, as the API prints it: (), ('a',), ('a', 'b'), ('anyOf', 0). */
export function pythonTuple(ctx: Context): string {
  const items = ctx.map((c) => (typeof c === 'number' ? String(c) : `'${c}'`));
  if (items.length === 0) return '()';
  if (items.length === 1) return `(${items[0]},)`;
  return `(${items.join(', ')})`;
}

function pythonRepr(v: unknown): string {
  if (v === undefined || v === null) return 'None';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'string' ? `'${x}'` : pythonRepr(x))).join(', ')}]`;
  return JSON.stringify(v);
}

function fail(ctx: Context, text: string): never {
  throw new SchemaRuleError(`In context=${pythonTuple(ctx)}, ${text}`);
}

function isSchema(v: unknown): v is Schema {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Resolves a local `$ref` ("#", "#/$defs/x", any JSON pointer into the root). */
export function resolveRef(root: unknown, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function rootTypeError(root: unknown): string | null {
  if (!isSchema(root)) return `schema must be a JSON Schema of 'type: "object"', got 'type: "None"'.`;
  if (root.type !== 'object' || 'anyOf' in root) return `schema must be a JSON Schema of 'type: "object"', got 'type: "${pythonRepr(root.type)}"'.`;
  return null;
}

interface Tally {
  properties: number;
  enumValues: number;
  chars: number;
}

/** The tail of OpenAI's message for the first rule `schema` breaks, or null when it is a valid strict schema. */
export function findStrictSchemaError(schema: unknown): string | null {
  const rootError = rootTypeError(schema);
  if (rootError) return rootError;
  const root = schema as Schema;
  const tally: Tally = { properties: 0, enumValues: 0, chars: 0 };
  try {
    walkStrict(root, root, [], 0, tally);
    for (const defsKey of ['$defs', 'definitions']) {
      const defs = root[defsKey];
      if (!isSchema(defs)) continue;
      for (const [name, def] of Object.entries(defs)) {
        tally.chars += name.length;
        walkStrict(root, def, [defsKey, name], 0, tally);
      }
    }
  } catch (err) {
    if (err instanceof SchemaRuleError) return err.message;
    throw err;
  }
  if (tally.properties > STRICT_LIMITS.maxProperties) {
    return `The schema has ${tally.properties} object properties in total, more than the limit of ${STRICT_LIMITS.maxProperties}.`;
  }
  if (tally.enumValues > STRICT_LIMITS.maxEnumValues) {
    return `The schema has ${tally.enumValues} enum values in total, more than the limit of ${STRICT_LIMITS.maxEnumValues}.`;
  }
  if (tally.chars > STRICT_LIMITS.maxStringChars) {
    return `The total string length of property names, definition names, enum values and const values is ${tally.chars}, more than the limit of ${STRICT_LIMITS.maxStringChars}.`;
  }
  return null;
}

function walkStrict(root: Schema, node: unknown, ctx: Context, depth: number, tally: Tally): void {
  if (!isSchema(node)) fail(ctx, "schema must have a 'type' key.");
  if ('$ref' in node) {
    const others = Object.keys(node).filter((k) => k !== '$ref');
    if (others.length) throw new SchemaRuleError(`In context=${pythonTuple(ctx)}, $ref cannot have keywords {${others.map((k) => `'${k}'`).join(', ')}}.`);
    const ref = node.$ref;
    if (typeof ref !== 'string' || resolveRef(root, ref) === undefined) fail(ctx, `reference to component '${String(ref)}' which was not found in the schema.`);
    return; // targets are checked once, from $defs (this also makes recursion safe)
  }
  for (const kw of STRICT_UNSUPPORTED_KEYWORDS) if (kw in node) fail(ctx, `'${kw}' is not permitted.`);
  countEnum(node, ctx, tally);
  if ('anyOf' in node) {
    const branches = node.anyOf;
    if (!Array.isArray(branches) || branches.length === 0) fail(ctx, "'anyOf' must be a non-empty array.");
    branches.forEach((b, i) => walkStrict(root, b, [...ctx, 'anyOf', i], depth, tally));
    return;
  }
  if (!('type' in node)) {
    if ('enum' in node || 'const' in node) return;
    fail(ctx, "schema must have a 'type' key.");
  }
  const types = Array.isArray(node.type) ? node.type : [node.type];
  for (const t of types) if (typeof t !== 'string' || !JSON_TYPES.has(t)) fail(ctx, `'${pythonRepr(t)}' is not valid under any of the given schemas.`);
  if (types.includes('object')) {
    if (depth + 1 > STRICT_LIMITS.maxNesting) fail(ctx, `the schema nests objects more than ${STRICT_LIMITS.maxNesting} levels deep.`);
    if (node.additionalProperties !== false) fail(ctx, "'additionalProperties' is required to be supplied and to be false.");
    const props = node.properties === undefined ? {} : node.properties;
    if (!isSchema(props)) fail(ctx, "'properties' must be an object.");
    const keys = Object.keys(props);
    const required = node.required === undefined && keys.length === 0 ? [] : node.required;
    const requiredHint = "'required' is required to be supplied and to be an array including every key in properties.";
    if (!Array.isArray(required)) fail(ctx, `${requiredHint} Missing '${keys[0]}'.`);
    const missing = keys.find((k) => !required.includes(k));
    if (missing !== undefined) fail(ctx, `${requiredHint} Missing '${missing}'.`);
    const extra = required.find((r) => !keys.includes(r as string));
    if (extra !== undefined) fail(ctx, `${requiredHint} Extra required key '${String(extra)}' supplied.`);
    tally.properties += keys.length;
    for (const k of keys) {
      tally.chars += k.length;
      walkStrict(root, props[k], [...ctx, 'properties', k], depth + 1, tally);
    }
  }
  if (types.includes('array')) {
    if (node.items === undefined) fail(ctx, 'array schema missing items.');
    if (!isSchema(node.items)) fail(ctx, "'items' must be a single schema (tuple validation is not supported).");
    walkStrict(root, node.items, [...ctx, 'items'], depth, tally);
  }
}

function countEnum(node: Schema, ctx: Context, tally: Tally): void {
  if ('const' in node) tally.chars += String(node.const).length;
  if (!('enum' in node)) return;
  if (!Array.isArray(node.enum)) fail(ctx, "'enum' must be an array.");
  tally.enumValues += node.enum.length;
  const chars = node.enum.reduce((n: number, v) => n + String(v).length, 0);
  tally.chars += chars;
  if (node.enum.length > STRICT_LIMITS.bigEnumSize && chars > STRICT_LIMITS.bigEnumChars) {
    fail(ctx, `enum with more than ${STRICT_LIMITS.bigEnumSize} values has ${chars} characters in total, more than the limit of ${STRICT_LIMITS.bigEnumChars}.`);
  }
}

/** Checks a non-strict schema the way the API still does: valid JSON Schema types everywhere and,
 * for function parameters, an object at the root. */
export function findLooseSchemaError(schema: unknown, requireObjectRoot: boolean): string | null {
  if (requireObjectRoot) {
    const rootError = rootTypeError(schema);
    if (rootError) return rootError;
  }
  try {
    walkLoose(schema, []);
  } catch (err) {
    if (err instanceof SchemaRuleError) return err.message;
    throw err;
  }
  return null;
}

function walkLoose(node: unknown, ctx: Context): void {
  if (!isSchema(node)) return; // boolean schemas are valid JSON Schema
  if ('type' in node) {
    const types = Array.isArray(node.type) ? node.type : [node.type];
    for (const t of types) if (typeof t !== 'string' || !JSON_TYPES.has(t)) fail(ctx, `'${pythonRepr(t)}' is not valid under any of the given schemas.`);
  }
  for (const key of ['properties', 'patternProperties', '$defs', 'definitions']) {
    const map = node[key];
    if (isSchema(map)) for (const [k, v] of Object.entries(map)) walkLoose(v, [...ctx, key, k]);
  }
  for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames']) {
    const v = node[key];
    if (Array.isArray(v)) v.forEach((s, i) => walkLoose(s, [...ctx, key, i]));
    else walkLoose(v, [...ctx, key]);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) {
    const v = node[key];
    if (Array.isArray(v)) v.forEach((s, i) => walkLoose(s, [...ctx, key, i]));
  }
}
