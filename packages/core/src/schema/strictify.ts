// MCP input schema -> OpenAI strict function-calling schema. The conversion keeps the meaning the
// model needs and moves the rest into descriptions:
//  - every object: `additionalProperties: false`, every property required; a property that was
//    optional becomes nullable (`type: [T, "null"]`, `enum` + null, or `anyOf: [X, {type: "null"}]`)
//    and `unstrictify` turns its nulls back into absent properties;
//  - `oneOf` -> `anyOf`; `allOf` of one schema and `$ref` with sibling keywords are merged inline;
//    keywords next to an `anyOf` are distributed into its branches; type lists become anyOf;
//  - `definitions` -> `$defs` with references fixed (pointer references are hoisted into `$defs`),
//    recursive references stay references;
//  - keywords outside the subset (default, minLength, unsupported formats, ...) are removed and
//    appended to the node's description, e.g. "(default: 5; minLength: 3; format: uri)".
// Whatever cannot be expressed (untyped values, open maps, allOf of several, not/if/then, tuples,
// limits) makes the result non-strict: the caller sends the cleaned original with `strict: false`
// and validates the arguments against the original the same way.
import type { JsonSchema } from '../types';
import { mergeSchemas } from './merge';
import { RefContext } from './refs';
import { checkStrictRules, STRICT_FORMATS } from './strict-rules';
import {
  ANNOTATION_KEYS, BLOCKING, collectRefs, defName, GENERIC_DESCRIBED, inferTypes, isUntyped, nullable, pick, restrictTo, TYPE_KEYWORDS, withNotes,
} from './strict-nodes';
import { escapePointer, isObject, mapSubschemas, type SchemaObject, showPath, typesOf } from './walk';

export { checkStrictRules } from './strict-rules';

export interface StrictifyResult {
  /** True when `schema` obeys the strict rules and can be sent with `strict: true`. */
  strict: boolean;
  schema: JsonSchema;
  /** Why the schema could not be made strict (empty when strict). */
  reasons: string[];
}

export function strictify(schema: JsonSchema): StrictifyResult {
  if (!isObject(schema) || typesOf(schema).join() !== 'object') {
    return { strict: false, schema: cleanSchema(schema), reasons: ['(root): is not an object schema (normalize it first)'] };
  }
  const refs = new RefContext(schema, { keepRootRef: true });
  const hoisted = refs.hoisted();
  const converter = new StrictConverter(hoisted);
  const { $defs: _defs, ...rootBody } = hoisted;
  if (Array.isArray(rootBody.anyOf) || Array.isArray(rootBody.oneOf)) converter.fail('', 'the root must be a plain object, not anyOf/oneOf');
  const out = converter.convert(rootBody, '');
  const defs = converter.reachableDefs(out);
  const result: SchemaObject = Object.keys(defs).length ? { ...out, $defs: defs } : out;
  const reasons = [...converter.reasons, ...(converter.reasons.length ? [] : checkStrictRules(result))];
  if (reasons.length) return { strict: false, schema: cleanSchema(schema), reasons: [...new Set(reasons)] };
  return { strict: true, schema: result, reasons: [] };
}

/** The original for a non-strict request: `definitions` folded into `$defs`, no `$schema`/`$id`/`$comment`. */
export function cleanSchema(schema: JsonSchema): JsonSchema {
  if (!isObject(schema)) return schema;
  const strip = (node: unknown): unknown => {
    if (!isObject(node)) return node;
    const { $schema: _s, $id: _i, $comment: _c, ...rest } = mapSubschemas(node, '', strip);
    return rest;
  };
  return strip(new RefContext(schema, { keepRootRef: true }).hoisted()) as SchemaObject;
}

class StrictConverter {
  readonly reasons: string[] = [];
  private readonly defs: SchemaObject;
  private readonly inlining: string[] = [];

  constructor(private readonly hoisted: SchemaObject) {
    this.defs = isObject(hoisted.$defs) ? hoisted.$defs : {};
  }

  fail(path: string, message: string): void {
    this.reasons.push(`${showPath(path)}: ${message}`);
  }

  convert(input: unknown, path: string): SchemaObject {
    if (input === true || (isObject(input) && isUntyped(input))) {
      this.fail(path, 'accepts any value (no type); strict mode needs a type');
      return {};
    }
    if (!isObject(input)) {
      this.fail(path, 'accepts no value (false schema)');
      return {};
    }
    let node = input;
    if (typeof node.$ref === 'string') {
      const { $ref, ...siblings } = node;
      const meaningful = Object.keys(siblings).filter((k) => !['$comment', '$schema', '$id'].includes(k));
      if (!meaningful.length) return { $ref };
      if (this.inlining.includes($ref)) {
        this.fail(path, `recursive $ref ${$ref} with sibling keywords cannot be inlined`);
        return {};
      }
      const merged = this.merge(this.resolve($ref), siblings, path, '$ref with sibling keywords');
      this.inlining.push($ref);
      try {
        return this.convert(merged, path);
      } finally {
        this.inlining.pop();
      }
    }
    if (Array.isArray(node.allOf)) {
      const { allOf, ...rest } = node;
      if (allOf.length !== 1) {
        this.fail(path, `allOf of ${allOf.length} schemas is not supported`);
        return {};
      }
      return this.convert(this.merge(rest, this.deref(allOf[0]), path, 'allOf'), path);
    }
    if (Array.isArray(node.oneOf)) {
      const { oneOf, ...rest } = node;
      if (Array.isArray(rest.anyOf)) {
        this.fail(path, 'anyOf and oneOf on one node are not supported');
        return {};
      }
      node = { ...rest, anyOf: oneOf };
    }
    for (const key of Object.keys(node)) if (BLOCKING[key]) this.fail(path, BLOCKING[key]);
    if (Array.isArray(node.items)) this.fail(path, 'tuples (items as a list) are not supported');
    if (Array.isArray(node.anyOf)) return this.convertAnyOf(node, path);
    const types = inferTypes(node);
    const nonNull = types.filter((t) => t !== 'null');
    if (nonNull.length > 1) {
      const branches = nonNull.map((t, i) => this.convert(restrictTo(node, t), `${path}/anyOf/${i}`));
      if (types.includes('null')) branches.push({ type: 'null' });
      // type-specific keywords went into their branch; the generic ones (default, ...) describe the whole
      return withNotes(pick(node, ['title', 'description']), pick(node, GENERIC_DESCRIBED), [], { anyOf: branches });
    }
    return this.convertTyped(node, types, path);
  }

  /** Converted `$defs` entries reachable from `schema` (and from each other). */
  reachableDefs(schema: SchemaObject): SchemaObject {
    const out: SchemaObject = {};
    const queue = collectRefs(schema);
    while (queue.length) {
      const ref = queue.shift() as string;
      const name = defName(ref);
      if (name === undefined || name in out) continue;
      out[name] = {};
      out[name] = this.convert(this.defs[name], `/$defs/${escapePointer(name)}`);
      queue.push(...collectRefs(out[name]));
    }
    return out;
  }

  private convertAnyOf(node: SchemaObject, path: string): SchemaObject {
    const { anyOf, ...rest } = node;
    const constraints = Object.fromEntries(Object.entries(rest).filter(([k]) => !ANNOTATION_KEYS.has(k)));
    const branches = (anyOf as unknown[]).map((branch, i) => {
      const here = `${path}/anyOf/${i}`;
      const merged = Object.keys(constraints).length ? this.merge(this.deref(branch), constraints, here, 'keywords next to anyOf') : branch;
      return this.convert(merged, here);
    });
    return withNotes(pick(rest, ['title', 'description']), rest, [], { anyOf: branches });
  }

  private convertTyped(node: SchemaObject, types: string[], path: string): SchemaObject {
    const out: SchemaObject = pick(node, ['title', 'description']);
    const type = types.find((t) => t !== 'null');
    if (types.length) out.type = type && types.includes('null') ? [type, 'null'] : (type ?? 'null');
    for (const key of ['enum', 'const', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems']) {
      if (node[key] !== undefined && (key === 'enum' || key === 'const' || !type || TYPE_KEYWORDS[type]?.includes(key))) out[key] = node[key];
    }
    const notes: string[] = [];
    if (typeof node.format === 'string') {
      if (STRICT_FORMATS.includes(node.format) && type === 'string') out.format = node.format;
      else notes.push(`format: ${node.format}`);
    }
    if (type === 'object') this.convertObject(node, out, path);
    if (type === 'array') {
      if (node.items === undefined) this.fail(path, 'array without an items schema accepts any items');
      else if (!Array.isArray(node.items)) out.items = this.convert(node.items, `${path}/items`);
    }
    return withNotes(out, node, notes, {});
  }

  private convertObject(node: SchemaObject, out: SchemaObject, path: string): void {
    const props = isObject(node.properties) ? node.properties : undefined;
    const extra = node.additionalProperties;
    if (extra !== undefined && extra !== false) this.fail(path, 'open map (additionalProperties is not false) cannot be strict');
    else if (!props && extra === undefined && path !== '') this.fail(path, 'object without declared properties accepts any keys (open map)');
    const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
    for (const name of required) if (!props || !(name in props)) this.fail(path, `required property "${name}" is not declared`);
    const properties: SchemaObject = {};
    for (const [name, prop] of Object.entries(props ?? {})) {
      const converted = this.convert(prop, `${path}/properties/${escapePointer(name)}`);
      properties[name] = required.has(name) ? converted : nullable(converted);
    }
    out.properties = properties;
    out.required = Object.keys(properties);
    out.additionalProperties = false;
  }

  private resolve(ref: string): SchemaObject {
    const name = defName(ref);
    const target = ref === '#' ? this.hoisted : name !== undefined ? this.defs[name] : undefined;
    if (!isObject(target)) return {};
    const { $defs: _d, ...rest } = target;
    return rest;
  }

  private deref(node: unknown): SchemaObject {
    if (!isObject(node)) return node === false ? { not: {} } : {};
    if (typeof node.$ref !== 'string') return node;
    const { $ref, ...siblings } = node;
    return this.merge(this.resolve($ref), siblings, '', '$ref');
  }

  private merge(a: SchemaObject, b: SchemaObject, path: string, what: string): SchemaObject {
    const merged = mergeSchemas(a, b);
    if (merged.ok) return merged.schema;
    this.fail(path, `${what} cannot be merged into one schema (conflicting "${merged.conflict}")`);
    return a;
  }
}
