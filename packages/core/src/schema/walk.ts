// Where subschemas live inside a JSON Schema node, and small helpers shared by the schema modules.
// Keywords that hold DATA (enum, const, default, examples) are never walked, so a `$ref` key inside
// a default value is never mistaken for a reference.

export type SchemaObject = Record<string, unknown>;

/** Keywords whose value is one subschema. */
export const SINGLE_SCHEMA_KEYS = [
  'additionalProperties',
  'additionalItems',
  'items',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
] as const;
/** Keywords whose value is a list of subschemas (`items` may also be a list: draft-07 tuples). */
export const LIST_SCHEMA_KEYS = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'] as const;
/** Keywords whose value maps names to subschemas. */
export const MAP_SCHEMA_KEYS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'] as const;

export function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepClone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** JSON pointer segment escaping (RFC 6901). */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointer(segment: string): string {
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment); // refs are URI fragments: `%24defs` means `$defs`
  } catch {
    // not percent-encoded after all: use it as written
  }
  return decoded.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Readable location of a node for messages: `/properties/a/items`, or `(root)`. */
export function showPath(path: string): string {
  return path === '' ? '(root)' : path;
}

/**
 * Rebuild a schema node, mapping every direct subschema through `fn` (which receives the child's
 * JSON pointer). Non-schema keywords are copied as they are. `dependencies` holds either a subschema
 * or a list of property names, per property.
 */
export function mapSubschemas(node: SchemaObject, path: string, fn: (child: unknown, childPath: string) => unknown): SchemaObject {
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(node)) {
    const here = `${path}/${escapePointer(key)}`;
    if ((MAP_SCHEMA_KEYS as readonly string[]).includes(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fn(v, `${here}/${escapePointer(k)}`)]));
    } else if (key === 'dependencies' && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? v : fn(v, `${here}/${escapePointer(k)}`)]),
      );
    } else if ((LIST_SCHEMA_KEYS as readonly string[]).includes(key) && Array.isArray(value)) {
      out[key] = value.map((v, i) => fn(v, `${here}/${i}`));
    } else if ((SINGLE_SCHEMA_KEYS as readonly string[]).includes(key) && (isObject(value) || typeof value === 'boolean')) {
      out[key] = fn(value, here);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Visit every schema node (depth first, parents before children) with its JSON pointer. */
export function visitSchemas(schema: unknown, visit: (node: SchemaObject, path: string) => void, path = ''): void {
  if (!isObject(schema)) return;
  visit(schema, path);
  mapSubschemas(schema, path, (child, childPath) => {
    visitSchemas(child, visit, childPath);
    return child;
  });
}

/** The JSON types a node's `type` keyword allows ([] when it has none). */
export function typesOf(node: SchemaObject): string[] {
  const t = node.type;
  if (typeof t === 'string') return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === 'string');
  return [];
}

/** JSON type of a data value, as JSON Schema names it. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
