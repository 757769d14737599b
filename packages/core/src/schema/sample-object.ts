// Objects and arrays for the samplers: required properties plus a seeded share of the optional ones,
// minProperties/maxProperties and dependentRequired honoured, open maps filled with a few entries
// whose keys fit the map (`headers` get header names), arrays sized by minItems/maxItems with unique
// items when asked and an element matching `contains`.
import { canonicalJson } from '../util/hash';
import type { Rng } from '../util/rng';
import { nameWords } from './name-hints';
import type { GenState, Sampler } from './sample';
import { isObject, type SchemaObject } from './walk';

const HEADER_KEYS = ['Content-Type', 'Accept', 'Authorization', 'X-Request-Id', 'User-Agent', 'Cache-Control'];
const ENV_KEYS = ['NODE_ENV', 'LOG_LEVEL', 'API_URL', 'PORT', 'DEBUG', 'TZ'];

export class ObjectSampler {
  constructor(private readonly s: Sampler) {}

  object(schema: SchemaObject, st: GenState): Record<string, unknown> {
    const props = isObject(schema.properties) ? schema.properties : {};
    const keys = Object.keys(props);
    const required = new Set((Array.isArray(schema.required) ? schema.required : []).filter((k): k is string => typeof k === 'string'));
    const minProps = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
    const maxProps = typeof schema.maxProperties === 'number' ? schema.maxProperties : Infinity;
    const share = this.s.optionalShare(st);
    const optional = keys.filter((k) => !required.has(k));
    const chosen = new Set(optional.filter(() => st.rng.bool(share)));
    for (const k of optional) if (required.size + chosen.size < minProps) chosen.add(k);
    for (const k of [...chosen].reverse()) if (required.size + chosen.size > maxProps) chosen.delete(k);

    const base = st.rng.seed();
    const out: Record<string, unknown> = {};
    const put = (key: string) => {
      if (key in out) return;
      const child = this.s.child(st, base, key, key);
      out[key] = this.s.gen(key in props ? props[key] : this.valueSchema(schema, key), child);
    };
    for (const key of keys) if (required.has(key) || chosen.has(key)) put(key);
    for (const key of required) put(key);
    for (const [key, deps] of dependentRequired(schema)) if (key in out) deps.forEach(put);

    const extra = schema.additionalProperties;
    // no declared properties: a map (the root of a tool without parameters stays empty)
    const patterned = isObject(schema.patternProperties) && Object.keys(schema.patternProperties).length > 0;
    const isMap = keys.length === 0 && (patterned || (extra !== false && (st.depth > 0 || extra !== undefined)));
    if (isMap) this.fillMap(schema, st, out, base, minProps, maxProps);
    return out;
  }

  array(schema: SchemaObject, st: GenState): unknown[] {
    const tuple = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : [];
    const rest = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
    const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
    let maxItems = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
    if (rest === false) maxItems = Math.min(maxItems, tuple.length);
    const count = this.arrayLength(st, minItems, maxItems, tuple.length);
    const base = st.rng.seed();
    const name = singular(st.name);
    const seen = new Set<string>();
    const out: unknown[] = [];
    for (let i = 0; i < count; i++) {
      const itemSchema = i < tuple.length ? tuple[i] : rest;
      const tries = schema.uniqueItems ? 8 : 1;
      for (let t = 0; t < tries; t++) {
        const value = this.s.gen(itemSchema, this.s.child(st, base, t ? `${i}.${t}` : i, name));
        const key = canonicalJson(value);
        if (schema.uniqueItems && seen.has(key)) continue;
        seen.add(key);
        out.push(value);
        break;
      }
    }
    if (schema.contains !== undefined) this.ensureContains(schema, st, out, base, maxItems);
    return out;
  }

  private arrayLength(st: GenState, min: number, max: number, tupleLength: number): number {
    if (this.s.minimal(st)) return min;
    if (this.s.edge) return st.rng.pick([min, Number.isFinite(max) && max <= 50 ? max : Math.max(min, 8)]);
    const lo = Math.min(max, Math.max(min, 1, tupleLength));
    return st.rng.int(lo, Math.max(lo, Math.min(max, lo + 2)));
  }

  private ensureContains(schema: SchemaObject, st: GenState, out: unknown[], base: number, maxItems: number): void {
    const matches = this.s.refs.validatorFor(schema.contains);
    if (out.some((v) => matches(v).valid)) return;
    const value = this.s.gen(schema.contains, this.s.child(st, base, 'contains', singular(st.name)));
    if (out.length && out.length >= maxItems) out[0] = value;
    else out.push(value);
  }

  private fillMap(schema: SchemaObject, st: GenState, out: Record<string, unknown>, base: number, minProps: number, maxProps: number): void {
    const have = Object.keys(out).length;
    let wanted = this.s.minimal(st) ? 0 : this.s.edge ? st.rng.pick([0, 5]) : st.rng.int(1, 3);
    wanted = Math.min(Math.max(wanted, minProps - have), maxProps - have);
    const patterns = isObject(schema.patternProperties) ? Object.keys(schema.patternProperties) : [];
    for (let i = 0, added = 0; added < wanted && i < wanted * 4; i++) {
      const key = this.mapKey(schema, st, base, i, patterns);
      if (key === undefined || key in out) continue;
      out[key] = this.s.gen(this.valueSchema(schema, key), this.s.child(st, base, `value:${key}`, key));
      added++;
    }
  }

  private mapKey(schema: SchemaObject, st: GenState, base: number, i: number, patterns: string[]): string | undefined {
    const child = this.s.child(st, base, `key:${i}`, 'key');
    if (schema.propertyNames !== undefined && schema.propertyNames !== true) {
      const key = this.s.gen({ type: 'string', ...(isObject(schema.propertyNames) ? schema.propertyNames : {}) }, child);
      return typeof key === 'string' ? key : undefined;
    }
    if (patterns.length && (schema.additionalProperties === false || child.rng.bool(0.7))) {
      const key = this.s.gen({ type: 'string', pattern: child.rng.pick(patterns) }, child);
      return typeof key === 'string' ? key : undefined;
    }
    return plainKey(st.name, child.rng, this.s);
  }

  /** The schema a map entry's value must satisfy: matching patternProperties, else additionalProperties. */
  private valueSchema(schema: SchemaObject, key: string): unknown {
    const patterns = isObject(schema.patternProperties) ? schema.patternProperties : {};
    const matching = Object.entries(patterns).filter(([p]) => safeTest(p, key)).map(([, v]) => this.s.deref(v));
    if (matching.length) return matching.reduce((a, b) => this.s.combine(a, b));
    const extra = schema.additionalProperties;
    return isObject(extra) ? extra : {};
  }
}

function plainKey(parent: string | undefined, rng: Rng, s: Sampler): string {
  const words = nameWords(parent);
  if (words.some((w) => w === 'headers' || w === 'header')) return rng.pick(HEADER_KEYS);
  if (words.some((w) => w === 'env' || w === 'environment' || w === 'variables')) return rng.pick(ENV_KEYS);
  return s.faker({ rng, depth: 0 }).word.noun().toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

function dependentRequired(schema: SchemaObject): [string, string[]][] {
  const source = isObject(schema.dependentRequired) ? schema.dependentRequired : isObject(schema.dependencies) ? schema.dependencies : {};
  return Object.entries(source).filter((e): e is [string, string[]] => Array.isArray(e[1]));
}

/** `tags` -> `tag`, `entities` -> `entity`: the name of one item of a list. */
export function singular(name: string | undefined): string | undefined {
  if (!name) return name;
  if (/ies$/.test(name)) return name.replace(/ies$/, 'y');
  if (/(ss|us)$/.test(name)) return name;
  if (/(xes|ches|shes|sses)$/.test(name)) return name.replace(/es$/, '');
  return name.replace(/s$/, '');
}

function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    return false;
  }
}
