// Schema-aware argument values for the offline provider, argument hints and edge-case samples.
// Every value is generated from the schema and then VALIDATED against it with ajv; an attempt that
// does not validate (a pattern the generator could not honour, a oneOf that matched twice...) is
// retried with fresh randomness, and a schema nothing valid comes out of raises SchemaSampleError.
// All randomness comes from the caller's seeded rng: the same seed gives the same value. Each
// property draws from its own child generator (seeded by name), so adding a property to a schema
// does not change the values of the others.
import type { JsonSchema, ToolDef } from '../types';
import { createRng, type Rng, seedFrom } from '../util/rng';
import { mergeSchemas } from './merge';
import { normalizeSchema, WRAPPER_KEY } from './normalize';
import { RefContext } from './refs';
import { sampleNumber, sampleString, seededFaker } from './sample-leaves';
import { ObjectSampler } from './sample-object';
import { deepClone, isObject, jsonTypeOf, type SchemaObject, typesOf } from './walk';

export { describeValue } from './describe-value';

export type SampleMode = 'typical' | 'edge';

export interface SampleOptions {
  rng: Rng;
  /** Property name of the value (drives faker hints: city, email, limit...). */
  name?: string;
  mode?: SampleMode;
  /** Root schema that `$ref`s resolve against (default: the schema itself). */
  root?: JsonSchema;
  /** Nesting depth already reached (recursion is bounded). */
  depth?: number;
  /** Probability that an optional property is included (default 0.5; edge: all or none). */
  includeOptional?: number;
}

export class SchemaSampleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaSampleError';
  }
}

const ATTEMPTS = 16;
/** After this many edge attempts fail, typical values are tried (edge values must stay valid). */
const EDGE_ATTEMPTS = 8;
/** Below this depth optional parts are left out, so recursive schemas end. */
const MINIMAL_DEPTH = 5;
const MAX_DEPTH = 40;

const contexts = new WeakMap<object, RefContext>();
function refsFor(root: JsonSchema): RefContext {
  if (!isObject(root)) return new RefContext(root);
  let refs = contexts.get(root);
  if (!refs) contexts.set(root, (refs = new RefContext(root)));
  return refs;
}

/** A value valid for `schema` (throws SchemaSampleError when none could be produced). */
export function sampleValue(schema: JsonSchema, opts: SampleOptions): unknown {
  const refs = refsFor(opts.root ?? schema);
  const validate = refs.validatorFor(schema);
  let errors: string[] = [];
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const edge = (opts.mode ?? 'typical') === 'edge' && attempt < EDGE_ATTEMPTS;
    const sampler = new Sampler(refs, edge, opts.includeOptional);
    let value: unknown;
    try {
      value = sampler.gen(schema, { rng: createRng(opts.rng.seed()), name: opts.name, depth: opts.depth ?? 0 });
    } catch (err) {
      if (!(err instanceof SchemaSampleError)) throw err;
      errors = [err.message];
      continue;
    }
    const result = validate(value);
    if (result.valid) return value;
    errors = result.errors;
  }
  throw new SchemaSampleError(`cannot sample a valid value${opts.name ? ` for '${opts.name}'` : ''}: ${errors.slice(0, 3).join('; ')}`);
}

/**
 * Arguments for a tool, valid for its (normalized) input schema. For a tool whose root is not an
 * object the normalize wrapper is removed again: the result is the bare value the tool declared.
 */
export function sampleArguments(tool: ToolDef, opts: Omit<SampleOptions, 'root' | 'name' | 'depth'>): unknown {
  const normalized = normalizeSchema(tool.inputSchema, tool.name);
  const root = normalized.schema;
  if (normalized.wrapped) {
    // the bare value itself, named after the tool (`run_sql` -> an SQL statement)
    const inner = (root.properties as Record<string, JsonSchema>)[WRAPPER_KEY];
    return sampleValue(inner, { ...opts, root, name: tool.serverToolName || tool.name });
  }
  return sampleValue(root, { ...opts, root });
}

export interface GenState {
  rng: Rng;
  name?: string;
  depth: number;
}

export class Sampler {
  constructor(
    readonly refs: RefContext,
    readonly edge: boolean,
    private readonly includeOptional?: number,
  ) {}

  /** Probability of including an optional property at this depth. */
  optionalShare(st: GenState): number {
    if (st.depth >= MINIMAL_DEPTH) return 0;
    if (this.includeOptional !== undefined) return this.includeOptional;
    return this.edge ? (st.rng.bool() ? 1 : 0) : 0.5;
  }

  minimal(st: GenState): boolean {
    return st.depth >= MINIMAL_DEPTH;
  }

  gen(schema: unknown, st: GenState): unknown {
    if (st.depth > MAX_DEPTH) throw new SchemaSampleError('recursion too deep (a required property refers back to itself)');
    if (schema === false) throw new SchemaSampleError('the schema accepts no value (false)');
    if (!isObject(schema)) return this.anyValue(st);
    if ('const' in schema) return deepClone(schema.const); // callers may edit the value, never the schema
    if (typeof schema.$ref === 'string') {
      const target = this.refs.resolve(schema.$ref);
      const { $ref: _r, ...siblings } = schema;
      if (!isObject(target)) return this.gen(target === false ? false : siblings, st);
      return this.gen(this.combine(target, siblings), { ...st, depth: st.depth + 1 });
    }
    if (Array.isArray(schema.allOf)) {
      const { allOf, ...rest } = schema;
      const merged = allOf.reduce<SchemaObject>((acc, part) => this.combine(acc, this.deref(part)), rest);
      return this.gen(merged, st);
    }
    if (Array.isArray(schema.enum) && schema.enum.length) return this.pickEnum(schema, st);
    const branches = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
    if (branches) return this.genBranch(schema, branches, st);
    return this.genTyped(schema, st);
  }

  private genBranch(schema: SchemaObject, branches: unknown[], st: GenState): unknown {
    const { anyOf: _a, oneOf: _o, ...rest } = schema;
    const order = st.rng.shuffle(branches.map((_, i) => i));
    if (this.minimal(st)) order.sort((a, b) => weight(branches[a]) - weight(branches[b]));
    const whole = this.refs.validatorFor(schema);
    let last: unknown;
    for (const i of order.slice(0, 6)) {
      const branch = this.combine(rest, this.deref(branches[i]));
      try {
        last = this.gen(branch, { ...st, rng: createRng(st.rng.seed()) });
      } catch (err) {
        if (err instanceof SchemaSampleError) continue;
        throw err;
      }
      if (whole(last).valid) return last;
    }
    if (last === undefined) throw new SchemaSampleError('no anyOf/oneOf branch could be sampled');
    return last;
  }

  private genTyped(schema: SchemaObject, st: GenState): unknown {
    const type = this.chooseType(schema, st);
    const leaf = { rng: st.rng, name: st.name, edge: this.edge };
    switch (type) {
      case 'null':
        return null;
      case 'boolean':
        return st.rng.bool();
      case 'integer':
        return sampleNumber(schema, true, leaf);
      case 'number':
        return sampleNumber(schema, false, leaf);
      case 'string':
        return sampleString(schema, leaf);
      case 'array':
        return new ObjectSampler(this).array(schema, st);
      case 'object':
        return new ObjectSampler(this).object(schema, st);
      default:
        return this.anyValue(st);
    }
  }

  private chooseType(schema: SchemaObject, st: GenState): string | undefined {
    const declared = typesOf(schema);
    const types = declared.length ? declared : inferType(schema);
    if (!types.length) return undefined;
    const nonNull = types.filter((t) => t !== 'null');
    if (!nonNull.length) return 'null';
    if (types.includes('null') && (this.minimal(st) || st.rng.bool(this.edge ? 0.3 : 0.15))) return 'null';
    return st.rng.pick(nonNull);
  }

  private pickEnum(schema: SchemaObject, st: GenState): unknown {
    const types = typesOf(schema);
    const all = schema.enum as unknown[];
    // values of another type than declared can never validate
    const typed = types.length ? all.filter((v) => types.includes(jsonTypeOf(v)) || (jsonTypeOf(v) === 'integer' && types.includes('number'))) : all;
    const values = typed.length ? typed : all;
    if (this.edge && values.length > 1) return deepClone(st.rng.bool() ? values[0] : values[values.length - 1]);
    return deepClone(st.rng.pick(values));
  }

  /** A simple value for an untyped node: text (named by the property), a number or a flag. */
  anyValue(st: GenState): unknown {
    const roll = st.rng.next();
    const leaf = { rng: st.rng, name: st.name, edge: this.edge };
    if (roll < 0.6) return sampleString({}, leaf);
    if (roll < 0.8) return sampleNumber({}, true, leaf);
    return st.rng.bool();
  }

  /** The target of a `$ref` (with its sibling keywords), or the node itself. */
  deref(node: unknown): SchemaObject {
    if (!isObject(node)) return node === false ? { not: {} } : {};
    if (typeof node.$ref !== 'string') return node;
    const { $ref, ...siblings } = node;
    const target = this.refs.resolve($ref);
    return isObject(target) ? this.combine(target, siblings) : siblings;
  }

  /** Both schemas at once; when they cannot be merged, the first (validation catches the rest). */
  combine(a: SchemaObject, b: SchemaObject): SchemaObject {
    if (!Object.keys(b).length) return a;
    if (!Object.keys(a).length) return b;
    const merged = mergeSchemas(a, b);
    return merged.ok ? merged.schema : a;
  }

  /** A child generator for a named part (stable per name and parent draw). */
  child(st: GenState, base: number, key: string | number, name?: string): GenState {
    return { rng: createRng(seedFrom(base, key)), name, depth: st.depth + 1 };
  }

  faker(st: GenState) {
    return seededFaker(st.rng);
  }
}

function inferType(schema: SchemaObject): string[] {
  if (['properties', 'required', 'additionalProperties', 'patternProperties', 'propertyNames'].some((k) => k in schema)) return ['object'];
  if (['items', 'prefixItems', 'minItems', 'maxItems', 'contains', 'uniqueItems'].some((k) => k in schema)) return ['array'];
  if (['pattern', 'format', 'minLength', 'maxLength'].some((k) => k in schema)) return ['string'];
  if (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'].some((k) => k in schema)) return ['number'];
  return [];
}

/** How heavy a branch is to generate (light first when recursion must end). */
function weight(branch: unknown): number {
  if (!isObject(branch)) return 1;
  if (branch.type === 'null') return 0;
  if (typeof branch.$ref === 'string') return 3;
  return typesOf(branch).some((t) => t === 'object' || t === 'array') ? 2 : 1;
}
