// Strict arguments -> arguments for the ORIGINAL schema. In strict mode every property is present and
// an optional one is sent as null when the model has nothing to say; the original schema usually does
// not accept that null. unstrictify walks the value along the original schema (through $ref/$defs,
// allOf, nested objects and arrays, maps) and removes a null property when the original makes it
// optional and does not accept null there. Where the original accepts null the null stays: it is a
// real value then. For anyOf/oneOf the branch whose cleaned value validates is taken.
import type { JsonSchema } from '../types';
import { RefContext } from './refs';
import { isObject, type SchemaObject } from './walk';

export function unstrictify(args: unknown, original: JsonSchema): unknown {
  const refs = new RefContext(original);
  return new Unstrictifier(refs).clean(args, original, 0);
}

const MAX_DEPTH = 64;

class Unstrictifier {
  constructor(private readonly refs: RefContext) {}

  clean(value: unknown, schema: unknown, depth: number): unknown {
    if (!isObject(schema) || depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
    let out: unknown = value;
    if (typeof schema.$ref === 'string') {
      const target = this.refs.resolve(schema.$ref);
      if (target !== undefined) out = this.clean(out, target, depth + 1);
    }
    if (Array.isArray(schema.allOf)) for (const part of schema.allOf) out = this.clean(out, part, depth + 1);
    if (Array.isArray(out)) out = this.cleanArray(out, schema, depth);
    else if (isObject(out)) out = this.cleanObject(out, schema, depth);
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches = schema[key];
      if (Array.isArray(branches)) out = this.cleanBranches(out, schema, branches, depth);
    }
    return out;
  }

  private cleanObject(value: SchemaObject, schema: SchemaObject, depth: number): SchemaObject {
    const props = isObject(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const patterns = isObject(schema.patternProperties) ? Object.entries(schema.patternProperties) : [];
    const out: SchemaObject = {};
    for (const [key, item] of Object.entries(value)) {
      if (key in props) {
        const prop = props[key];
        if (item === null && !required.has(key) && !this.refs.validatorFor(prop)(null).valid) continue;
        out[key] = this.clean(item, prop, depth + 1);
        continue;
      }
      const matching = patterns.filter(([pattern]) => safeTest(pattern, key)).map(([, s]) => s);
      let cleaned = item;
      for (const s of matching) cleaned = this.clean(cleaned, s, depth + 1);
      if (!matching.length && isObject(schema.additionalProperties)) cleaned = this.clean(cleaned, schema.additionalProperties, depth + 1);
      out[key] = cleaned;
    }
    return out;
  }

  private cleanArray(value: unknown[], schema: SchemaObject, depth: number): unknown[] {
    const tuple = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : [];
    const rest = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
    return value.map((item, i) => this.clean(item, i < tuple.length ? tuple[i] : rest, depth + 1));
  }

  /**
   * The first branch whose cleaned value validates the whole node; else the first that at least
   * validates its own branch (a oneOf matched twice stays invalid, but cleaned); else the value.
   */
  private cleanBranches(value: unknown, node: SchemaObject, branches: unknown[], depth: number): unknown {
    const whole = this.refs.validatorFor(node);
    if (whole(value).valid) return value;
    let fallback: unknown = value;
    let found = false;
    for (const branch of branches) {
      const candidate = this.clean(value, branch, depth + 1);
      if (whole(candidate).valid) return candidate;
      if (!found && this.refs.validatorFor(branch)(candidate).valid) [fallback, found] = [candidate, true];
    }
    return fallback;
  }
}

function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    return false;
  }
}
