// The OpenAI strict function-calling subset of JSON Schema, as a checker. Sources (see
// docs/notes on strict mode): OpenAI's "Structured Outputs / Supported schemas" (types, the nine
// formats, numeric and array keywords, all fields required, `additionalProperties: false`, root an
// object and not anyOf, $defs/$ref with recursion, limits: 10 levels, 5000 properties, 1000 enum values,
// 120,000 characters of names and values) and reported rejections in practice (`default`,
// `minLength`, `maxLength`, `oneOf`, `$ref` with sibling keywords, nodes without a type).
// strictify's output is run through this checker, so the two cannot drift apart.
import type { JsonSchema } from '../types';
import { escapePointer, isObject, type SchemaObject, showPath, unescapePointer } from './walk';

export const STRICT_FORMATS = ['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid'];
export const STRICT_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];
/** Every keyword a strict schema node may carry. */
export const STRICT_KEYWORDS = [
  'type', 'description', 'title', 'enum', 'const', 'anyOf', '$ref', '$defs',
  'properties', 'required', 'additionalProperties',
  'items', 'minItems', 'maxItems',
  'pattern', 'format',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
];
export const STRICT_LIMITS = {
  maxObjectDepth: 10,
  maxProperties: 5000,
  maxEnumValues: 1000,
  /** Characters of property names, definition names, enum values and const values together. */
  maxNameAndValueChars: 120_000,
  /** A string enum with more values than this must stay under `maxLargeEnumChars`. */
  largeEnumValues: 250,
  maxLargeEnumChars: 15_000,
};

/** Every way `schema` breaks the strict rules (empty: OpenAI accepts it with `strict: true`). */
export function checkStrictRules(schema: JsonSchema): string[] {
  const problems: string[] = [];
  if (!isObject(schema)) return ['(root): must be an object schema'];
  if (schema.type !== 'object') problems.push(`(root): type must be "object" (got ${JSON.stringify(schema.type)})`);
  if ('anyOf' in schema) problems.push('(root): must not be anyOf');
  const defs = isObject(schema.$defs) ? schema.$defs : {};
  const stats = { properties: 0, chars: Object.keys(defs).join('').length, maxDepth: 0 };
  const onStack = new Set<string>(['#']);
  const counted = new WeakSet<object>(); // a definition reached through several references counts once

  const check = (node: unknown, path: string, depth: number): void => {
    const at = showPath(path);
    if (!isObject(node)) {
      problems.push(`${at}: must be a schema object (got ${JSON.stringify(node)})`);
      return;
    }
    for (const key of Object.keys(node)) {
      if (!STRICT_KEYWORDS.includes(key)) problems.push(`${at}: keyword "${key}" is not supported in strict mode`);
      else if (key === '$defs' && path !== '') problems.push(`${at}: $defs only at the root`);
    }
    if (typeof node.$ref === 'string') {
      if (Object.keys(node).length > 1) problems.push(`${at}: $ref must not have sibling keywords`);
      const ref = node.$ref;
      const name = ref.startsWith('#/$defs/') ? unescapePointer(ref.slice('#/$defs/'.length)) : undefined;
      if (ref !== '#' && (name === undefined || !(name in defs))) problems.push(`${at}: $ref ${ref} does not point to the root or a $defs entry`);
      else if (!onStack.has(ref)) {
        onStack.add(ref);
        check(defs[name as string], `/$defs/${name}`, depth);
        onStack.delete(ref);
      }
      return;
    }
    const types = Array.isArray(node.type) ? node.type : node.type === undefined ? [] : [node.type];
    if (!types.length && !Array.isArray(node.anyOf) && !('enum' in node) && !('const' in node)) {
      problems.push(`${at}: has no type (accepts any value)`);
    }
    if (types.some((t) => !STRICT_TYPES.includes(t as string))) problems.push(`${at}: unknown type ${JSON.stringify(node.type)}`);
    if (Array.isArray(node.type) && !(types.length === 2 && types.includes('null') && types[0] !== types[1])) {
      problems.push(`${at}: a type list must be [T, "null"] (use anyOf for several types)`);
    }
    if (typeof node.format === 'string' && !STRICT_FORMATS.includes(node.format)) problems.push(`${at}: format "${node.format}" is not supported`);
    const first = !counted.has(node);
    counted.add(node);
    if (Array.isArray(node.enum)) {
      if (node.enum.length > STRICT_LIMITS.maxEnumValues) problems.push(`${at}: enum has ${node.enum.length} values (limit ${STRICT_LIMITS.maxEnumValues})`);
      const chars = node.enum.reduce<number>((n, v) => n + (typeof v === 'string' ? v.length : JSON.stringify(v).length), 0);
      if (first) stats.chars += chars;
      if (node.enum.length > STRICT_LIMITS.largeEnumValues && chars > STRICT_LIMITS.maxLargeEnumChars) {
        problems.push(`${at}: enum of ${node.enum.length} values has ${chars} characters (limit ${STRICT_LIMITS.maxLargeEnumChars})`);
      }
    }
    if ('const' in node && first) stats.chars += typeof node.const === 'string' ? node.const.length : JSON.stringify(node.const).length;
    if (Array.isArray(node.anyOf)) {
      if (!node.anyOf.length) problems.push(`${at}: anyOf is empty`);
      node.anyOf.forEach((branch, i) => check(branch, `${path}/anyOf/${i}`, depth));
    }
    if (types.includes('object')) checkObject(node, path, depth + 1);
    if (types.includes('array')) {
      if (!isObject(node.items)) problems.push(`${at}: array items must be one schema`);
      else check(node.items, `${path}/items`, depth);
    }
  };

  const checkObject = (node: SchemaObject, path: string, depth: number): void => {
    const at = showPath(path);
    stats.maxDepth = Math.max(stats.maxDepth, depth);
    if (node.additionalProperties !== false) problems.push(`${at}: additionalProperties must be false`);
    const props = isObject(node.properties) ? node.properties : undefined;
    if (!props) {
      problems.push(`${at}: an object must declare its properties`);
      return;
    }
    const keys = Object.keys(props);
    if (!counted.has(props)) {
      counted.add(props);
      stats.properties += keys.length;
      stats.chars += keys.join('').length;
    }
    const required = Array.isArray(node.required) ? node.required : [];
    const missing = keys.filter((k) => !required.includes(k));
    if (missing.length) problems.push(`${at}: every property must be required (missing: ${missing.join(', ')})`);
    const extra = required.filter((k) => !keys.includes(k as string));
    if (extra.length) problems.push(`${at}: required names undeclared properties: ${extra.join(', ')}`);
    for (const key of keys) check(props[key], `${path}/properties/${escapePointer(key)}`, depth);
  };

  check(schema, '', 0);
  for (const [name, def] of Object.entries(defs)) {
    const ref = `#/$defs/${name}`;
    if (onStack.has(ref)) continue;
    onStack.add(ref);
    check(def, `/$defs/${name}`, 0);
    onStack.delete(ref);
  }
  if (stats.maxDepth > STRICT_LIMITS.maxObjectDepth) problems.push(`(root): objects nest ${stats.maxDepth} levels (limit ${STRICT_LIMITS.maxObjectDepth})`);
  if (stats.properties > STRICT_LIMITS.maxProperties) problems.push(`(root): ${stats.properties} properties (limit ${STRICT_LIMITS.maxProperties})`);
  if (stats.chars > STRICT_LIMITS.maxNameAndValueChars) problems.push(`(root): ${stats.chars} characters of names and values (limit ${STRICT_LIMITS.maxNameAndValueChars})`);
  return [...new Set(problems)];
}
