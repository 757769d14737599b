// Template-safe tool parameters: the JSON Schema of each tool as written into the training files,
// rewritten so that the common tool_use chat templates can render it, with the same meaning.
//
// Why: the Hermes-2-Pro / Hermes-3 tool_use templates turn each parameter's schema into a Python type
// with a recursive macro that only knows the types string, number, integer, boolean, array and object;
// any other `type` (a `["string", "null"]` array, a lone "null") makes it recurse forever, so one
// nullable parameter makes every row that offers the tool unrenderable. They also read
// `tool.parameters.properties` and every property's `description`.
//
// The rules, applied to every schema node (properties, items, additionalProperties, anyOf/oneOf/allOf
// branches, recursively):
// - local `$ref`s (`#/$defs/X`, `#/definitions/X`) are inlined, and `$defs` / `definitions` dropped; a
//   reference that recurses into itself becomes `{"type": "object"}` described as "recursive: same shape
//   as X"; a reference that cannot be resolved becomes an untyped node described as "see X";
// - a `type` array becomes one type: `["T", "null"]` -> `"T"` plus "May be null." in the description;
//   several non-null types -> `anyOf` of the single types (plus "May be null." when null was one);
// - `anyOf` / `oneOf` with a `{"type": "null"}` branch: the null branch is removed (a single remaining
//   branch is merged into the node) and "May be null." is added;
// - Python-style type names (BFCL schemas) become JSON types: dict -> object, tuple / list -> array,
//   float -> number, int -> integer, bool -> boolean, str -> string; any other `type` outside the six
//   JSON types ("null", "any") is removed;
// - a node without `type` gets one when its keywords say it (`properties` -> object, `items` ->
//   array, an `enum` or `const` of strings / numbers / booleans -> that type);
// - `null` in an `enum` is removed and "May be null." added;
// - descriptions longer than MAX_DESCRIPTION characters are cut there, ending in "…"; every top-level
//   property has a `description` string (empty when the server gave none).
// The lock file and QC keep the original schemas: only formats/tools.ts (training output) uses this.
import { isPlainObject, toPlainJson } from './json';

export const MAX_DESCRIPTION = 1024;
export const NULLABLE_NOTE = 'May be null.';
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);
const TYPE_ALIASES: Record<string, string> = { dict: 'object', tuple: 'array', list: 'array', float: 'number', int: 'integer', bool: 'boolean', str: 'string' };
const BRANCH_KEYS = ['anyOf', 'oneOf', 'allOf'] as const;
const CHILD_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'] as const;

type Schema = Record<string, unknown>;

/** The template-safe copy of a tool's `parameters` (an object schema); the input is not changed. */
export function templateSafeParameters(params: Schema): Schema {
  const root = toPlainJson(params);
  const defs = { ...(isPlainObject(root.definitions) ? root.definitions : {}), ...(isPlainObject(root.$defs) ? root.$defs : {}) } as Record<string, unknown>;
  delete root.$defs;
  delete root.definitions;
  const out = safeNode(root, defs, []) as Schema;
  if (out.type === undefined) out.type = 'object';
  if (out.type === 'object' && !isPlainObject(out.properties)) out.properties = {};
  if (isPlainObject(out.properties)) {
    for (const p of Object.values(out.properties)) {
      if (isPlainObject(p) && typeof p.description !== 'string') p.description = '';
    }
  }
  return out;
}

/** A tool description cut to MAX_DESCRIPTION characters. */
export function safeDescription(text: string): string {
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1).trimEnd()}…` : text;
}

function refName(ref: string): string | undefined {
  const m = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref);
  return m ? m[1].replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
}

function addNote(node: Schema, note: string): void {
  const d = typeof node.description === 'string' ? node.description.trim() : '';
  if (d.includes(note)) return;
  node.description = d ? `${d}${/[.!?]$/.test(d) ? '' : '.'} ${note}` : note;
}

function safeNode(value: unknown, defs: Record<string, unknown>, seen: string[]): unknown {
  if (!isPlainObject(value)) return value;
  let node: Schema = { ...value };
  // $ref: inline the local definition (siblings of $ref win over the definition's keys).
  if (typeof node.$ref === 'string') {
    const ref = node.$ref;
    const name = refName(ref);
    delete node.$ref;
    if (name !== undefined && isPlainObject(defs[name]) && !seen.includes(name)) {
      const inlined = safeNode(defs[name], defs, [...seen, name]) as Schema;
      node = { ...inlined, ...node };
    } else if (name !== undefined && seen.includes(name)) {
      node.type ??= 'object';
      addNote(node, `recursive: same shape as ${name}.`);
    } else {
      addNote(node, `see ${ref}.`);
    }
  }
  delete node.$defs;
  delete node.definitions;
  let nullable = false;
  if (typeof node.type === 'string' && TYPE_ALIASES[node.type]) node.type = TYPE_ALIASES[node.type];
  // type arrays
  if (Array.isArray(node.type)) {
    const types = [...new Set(node.type.filter((t): t is string => typeof t === 'string').map((t) => TYPE_ALIASES[t] ?? t))];
    nullable = types.includes('null');
    const rest = types.filter((t) => t !== 'null');
    if (rest.length === 1) node.type = rest[0];
    else {
      delete node.type;
      if (rest.length > 1 && node.anyOf === undefined) node.anyOf = rest.map((t) => ({ type: t }));
    }
  }
  // anyOf / oneOf with a null branch
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = node[key];
    if (!Array.isArray(branches)) continue;
    const isNull = (b: unknown) => isPlainObject(b) && (b.type === 'null' || (Array.isArray(b.enum) && b.enum.length === 1 && b.enum[0] === null));
    if (!branches.some(isNull)) continue;
    nullable = true;
    const rest = branches.filter((b) => !isNull(b));
    if (rest.length === 1 && isPlainObject(rest[0])) {
      delete node[key];
      const merged: Schema = { ...rest[0], ...node };
      if (typeof rest[0].description === 'string' && typeof node.description !== 'string') merged.description = rest[0].description;
      node = merged;
    } else if (rest.length === 0) delete node[key];
    else node[key] = rest;
  }
  if (typeof node.type === 'string' && !TYPES.has(node.type)) {
    if (node.type === 'null') nullable = true;
    delete node.type;
  }
  if (Array.isArray(node.enum) && node.enum.includes(null)) {
    nullable = true;
    node.enum = node.enum.filter((v) => v !== null);
    if ((node.enum as unknown[]).length === 0) delete node.enum;
  }
  if (node.type === undefined) {
    const inferred = inferType(node);
    if (inferred) node.type = inferred;
  }
  if (nullable) addNote(node, NULLABLE_NOTE);
  if (typeof node.description === 'string') node.description = safeDescription(node.description);
  // children
  for (const key of CHILD_MAPS) {
    const map = node[key];
    if (!isPlainObject(map)) continue;
    node[key] = Object.fromEntries(Object.entries(map).map(([k, v]) => [k, safeNode(v, defs, seen)]));
  }
  if (isPlainObject(node.items)) node.items = safeNode(node.items, defs, seen);
  else if (Array.isArray(node.items)) node.items = node.items.map((v) => safeNode(v, defs, seen));
  if (Array.isArray(node.prefixItems)) node.prefixItems = node.prefixItems.map((v) => safeNode(v, defs, seen));
  if (isPlainObject(node.additionalProperties)) node.additionalProperties = safeNode(node.additionalProperties, defs, seen);
  for (const key of BRANCH_KEYS) if (Array.isArray(node[key])) node[key] = (node[key] as unknown[]).map((v) => safeNode(v, defs, seen));
  if (isPlainObject(node.not)) node.not = safeNode(node.not, defs, seen);
  return node;
}

function inferType(node: Schema): string | undefined {
  if (isPlainObject(node.properties)) return 'object';
  if (node.items !== undefined || Array.isArray(node.prefixItems)) return 'array';
  const values = Array.isArray(node.enum) ? node.enum : node.const !== undefined ? [node.const] : [];
  if (values.length === 0) return undefined;
  const kinds = new Set(values.map((v) => (typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : typeof v)));
  if (kinds.size === 1) {
    const [k] = kinds;
    return k === 'string' || k === 'boolean' || k === 'integer' || k === 'number' ? k : undefined;
  }
  if ([...kinds].every((k) => k === 'integer' || k === 'number')) return 'number';
  return undefined;
}
