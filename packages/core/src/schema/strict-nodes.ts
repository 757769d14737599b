// Node-level pieces of strictify: which keywords are kept, described or blocking, how a node's types
// are read, how an optional property becomes nullable, and how removed keywords reach the description.
import { isObject, type SchemaObject, typesOf } from './walk';

/** Removed from strict nodes and written into the description (their meaning stays visible to the model). */
export const DESCRIBED = [
  'default', 'minLength', 'maxLength', 'format', 'propertyNames', 'minProperties', 'maxProperties', 'uniqueItems',
  'contains', 'minContains', 'maxContains', 'examples', 'example', 'deprecated', 'contentEncoding', 'contentMediaType',
];
/** Cannot be expressed in strict mode at all. */
export const BLOCKING: Record<string, string> = {
  not: '"not" is not supported',
  if: '"if/then/else" is not supported',
  then: '"if/then/else" is not supported',
  else: '"if/then/else" is not supported',
  dependentRequired: '"dependentRequired" is not supported',
  dependentSchemas: '"dependentSchemas" is not supported',
  dependencies: '"dependencies" is not supported',
  unevaluatedProperties: '"unevaluatedProperties" is not supported',
  unevaluatedItems: '"unevaluatedItems" is not supported',
  patternProperties: 'patternProperties make an open map',
  prefixItems: 'tuples (prefixItems) are not supported',
  $dynamicRef: '"$dynamicRef" is not supported',
  $recursiveRef: '"$recursiveRef" is not supported',
};
export const GENERIC_DESCRIBED = ['default', 'examples', 'example', 'deprecated'];
/** Keys that only describe; everything else next to an anyOf is distributed into its branches. */
export const ANNOTATION_KEYS = new Set(['description', 'title', '$comment', '$schema', '$id', ...DESCRIBED.filter((k) => k !== 'format')]);
export const TYPE_KEYWORDS: Record<string, string[]> = {
  string: ['pattern', 'format', 'minLength', 'maxLength', 'contentEncoding', 'contentMediaType'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  integer: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  array: ['items', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'minContains', 'maxContains', 'prefixItems', 'additionalItems'],
  object: ['properties', 'required', 'additionalProperties', 'patternProperties', 'propertyNames', 'minProperties', 'maxProperties'],
};

export function isUntyped(node: SchemaObject): boolean {
  const shaping = ['type', 'enum', 'const', 'anyOf', 'oneOf', 'allOf', '$ref', 'not', ...Object.values(TYPE_KEYWORDS).flat()];
  return !shaping.some((k) => k in node);
}

/** The node's types; inferred from its keywords (or enum values) when it has no `type`. */
export function inferTypes(node: SchemaObject): string[] {
  const declared = typesOf(node);
  if (declared.length) return declared;
  for (const [type, keys] of Object.entries(TYPE_KEYWORDS)) if (type !== 'integer' && keys.some((k) => k in node)) return [type];
  if (Array.isArray(node.enum)) {
    const kinds = [...new Set(node.enum.map((v) => (v === null ? 'null' : typeof v)))];
    const simple = kinds.filter((k) => ['string', 'number', 'boolean', 'null'].includes(k));
    if (simple.length === kinds.length && simple.filter((k) => k !== 'null').length === 1) return simple;
  }
  return [];
}

/** The part of a multi-type node that applies to one type (for the anyOf a type list becomes). */
export function restrictTo(node: SchemaObject, type: string): SchemaObject {
  const own = TYPE_KEYWORDS[type] ?? [];
  const others = new Set(Object.values(TYPE_KEYWORDS).flat().filter((k) => !own.includes(k)));
  const out: SchemaObject = { type };
  for (const [key, value] of Object.entries(node)) {
    if (key === 'type' || key === 'title' || key === 'description' || others.has(key) || GENERIC_DESCRIBED.includes(key)) continue;
    if (key === 'enum' && Array.isArray(value)) out.enum = value.filter((v) => matchesType(v, type));
    else out[key] = value;
  }
  return out;
}

function matchesType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return isObject(value);
  if (type === 'null') return value === null;
  return typeof value === type;
}

/** A converted node that also accepts null (an optional property in strict form). */
export function nullable(node: SchemaObject): SchemaObject {
  if (typeof node.$ref === 'string') return { anyOf: [node, { type: 'null' }] };
  if (Array.isArray(node.anyOf)) {
    const hasNull = node.anyOf.some((b) => isObject(b) && b.type === 'null');
    return hasNull ? node : { ...node, anyOf: [...node.anyOf, { type: 'null' }] };
  }
  if ('const' in node) {
    const { description, title, ...rest } = node;
    return { ...(title !== undefined ? { title } : {}), ...(description !== undefined ? { description } : {}), anyOf: [rest, { type: 'null' }] };
  }
  const out: SchemaObject = { ...node };
  if (typeof node.type === 'string' && node.type !== 'null') out.type = [node.type, 'null'];
  if (Array.isArray(node.enum) && !node.enum.includes(null)) out.enum = [...node.enum, null];
  return out;
}

/** `out` plus `extra`, with the described keywords of `source` appended to the description. */
export function withNotes(out: SchemaObject, source: SchemaObject, notes: string[], extra: SchemaObject): SchemaObject {
  const all = [...notes];
  for (const key of DESCRIBED) {
    if (key === 'format' || source[key] === undefined) continue;
    all.push(`${key}: ${showValue(source[key])}`);
  }
  const result = { ...out, ...extra };
  if (all.length) {
    const text = `(${all.join('; ')})`;
    result.description = typeof result.description === 'string' && result.description ? `${result.description} ${text}` : text;
  }
  return result;
}

function showValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

export function pick(node: SchemaObject, keys: string[]): SchemaObject {
  return Object.fromEntries(keys.filter((k) => node[k] !== undefined).map((k) => [k, node[k]]));
}

export function defName(ref: string): string | undefined {
  return ref.startsWith('#/$defs/') ? ref.slice('#/$defs/'.length).replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
}

export function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (isObject(node)) {
    if (typeof node.$ref === 'string') out.push(node.$ref);
    for (const [key, value] of Object.entries(node)) if (key !== 'enum' && key !== 'const') collectRefs(value, out);
  }
  return out;
}
