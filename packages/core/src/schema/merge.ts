// Conjunction of two schema nodes (what `allOf: [a, b]` or `$ref` + sibling keywords mean) as ONE
// node, for the common cases: properties merged, required lists joined, bounds tightened, types and
// enums intersected. When the two cannot be expressed as one node (two different anyOf lists, two
// different patterns...) the merge reports the keyword instead of guessing.
import { canonicalJson } from '../util/hash';
import { isObject, type SchemaObject } from './walk';

export type MergeResult = { ok: true; schema: SchemaObject } | { ok: false; conflict: string };

const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties', 'minContains'];
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties', 'maxContains'];
/** Annotations: the later schema's value wins (siblings of a `$ref` describe the reference site). */
const ANNOTATIONS = ['description', 'title', 'default', 'examples', 'example', 'deprecated', '$comment', 'readOnly', 'writeOnly'];

export function mergeSchemas(a: SchemaObject, b: SchemaObject): MergeResult {
  const out: SchemaObject = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const current = out[key];
    if (current === undefined || ANNOTATIONS.includes(key)) {
      out[key] = value;
      continue;
    }
    if (canonicalJson(current) === canonicalJson(value)) continue;
    if (LOWER_BOUNDS.includes(key) && typeof current === 'number' && typeof value === 'number') out[key] = Math.max(current, value);
    else if (UPPER_BOUNDS.includes(key) && typeof current === 'number' && typeof value === 'number') out[key] = Math.min(current, value);
    else if (key === 'required' && Array.isArray(current) && Array.isArray(value)) out[key] = [...new Set([...current, ...value])];
    else if (key === 'uniqueItems') out[key] = Boolean(current) || Boolean(value);
    else if (key === 'type') {
      const types = intersectTypes(current, value);
      if (!types.length) return { ok: false, conflict: 'type' };
      out[key] = types.length === 1 ? types[0] : types;
    } else if (key === 'enum' && Array.isArray(current) && Array.isArray(value)) {
      const keep = new Set(value.map((v) => canonicalJson(v)));
      const both = current.filter((v) => keep.has(canonicalJson(v)));
      if (!both.length) return { ok: false, conflict: 'enum' };
      out[key] = both;
    } else if ((key === 'properties' || key === '$defs' || key === 'definitions') && isObject(current) && isObject(value)) {
      const merged: SchemaObject = { ...current };
      for (const [name, schema] of Object.entries(value)) {
        const prev = merged[name];
        if (prev === undefined) merged[name] = schema;
        else if (isObject(prev) && isObject(schema)) {
          const inner = mergeSchemas(prev, schema);
          if (!inner.ok) return { ok: false, conflict: `${key}/${name}/${inner.conflict}` };
          merged[name] = inner.schema;
        } else if (prev !== schema) return { ok: false, conflict: `${key}/${name}` };
      }
      out[key] = merged;
    } else if ((key === 'items' || key === 'additionalProperties') && isObject(current) && isObject(value)) {
      const inner = mergeSchemas(current, value);
      if (!inner.ok) return { ok: false, conflict: `${key}/${inner.conflict}` };
      out[key] = inner.schema;
    } else if (key === 'additionalProperties' && (current === false || value === false)) {
      out[key] = false;
    } else if (key === 'allOf' && Array.isArray(current) && Array.isArray(value)) {
      out[key] = [...current, ...value];
    } else {
      return { ok: false, conflict: key };
    }
  }
  return { ok: true, schema: out };
}

/** Intersection of two `type` values; `integer` is a subset of `number`. */
function intersectTypes(a: unknown, b: unknown): string[] {
  const list = (t: unknown) => (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string');
  const bs = list(b);
  const out: string[] = [];
  for (const t of list(a)) {
    if (bs.includes(t)) out.push(t);
    else if (t === 'integer' && bs.includes('number')) out.push('integer');
    else if (t === 'number' && bs.includes('integer')) out.push('integer');
  }
  return [...new Set(out)];
}
