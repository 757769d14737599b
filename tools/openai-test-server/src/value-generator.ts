// Schema-driven values: arguments for tool calls and structured-output content that satisfy the
// schema they were given (types, enum/const, anyOf/oneOf/allOf, $ref/$defs with recursion, type
// arrays with null, formats, bounds, item counts, patterns), preferring values the user mentioned.
import type { UserHints } from './hints';
import { stringForPattern } from './pattern-string';
import { canonicalJson, type Rng } from './rng';
import { stringForFormat, stringForName, words } from './sample-strings';
import { resolveRef } from './strict-schema';
import { schemaValidator } from './validator';

type Schema = Record<string, unknown>;

export interface GenerateOptions {
  rng: Rng;
  /** Values taken from the user's last message. */
  hints?: UserHints;
  /** Strict schemas: every property is present. Otherwise: required ones plus about half the optional ones. */
  strict?: boolean;
  /** Past this depth, recursion takes the shortest way out (null branch, no optional keys, fewest items). */
  maxDepth?: number;
  /**
   * Tool-call arguments: an optional property (nullable in strict schemas) that the user's messages
   * give no value for is left out (null), as a model does when told not to invent values.
   */
  grounded?: boolean;
}

const isSchema = (v: unknown): v is Schema => !!v && typeof v === 'object' && !Array.isArray(v);

class ValueGenerator {
  private readonly maxDepth: number;
  constructor(private readonly root: unknown, private readonly opts: GenerateOptions) {
    this.maxDepth = opts.maxDepth ?? 5;
  }

  value(node: unknown, name: string, depth: number): unknown {
    if (node === true || !isSchema(node)) return this.string({}, name);
    if (typeof node.$ref === 'string') {
      const target = resolveRef(this.root, node.$ref);
      const { $ref: _ref, ...siblings } = node;
      return this.value(isSchema(target) ? { ...target, ...siblings } : siblings, name, depth + 1);
    }
    if ('const' in node) return node.const;
    if (Array.isArray(node.enum) && node.enum.length) return this.fromEnum(node.enum, name);
    if (Array.isArray(node.allOf)) return this.value(mergeAll(node), name, depth);
    const branches = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
    if (branches?.length) {
      const { anyOf: _a, oneOf: _o, ...rest } = node;
      const branch = this.chooseBranch(branches as unknown[], name, depth);
      const merged = isSchema(branch) && !('$ref' in branch) ? { ...rest, ...branch } : branch;
      return this.value(merged, name, depth);
    }
    const type = this.chooseType(node, name, depth);
    switch (type) {
      case 'null': return null;
      case 'boolean': return (name ? this.opts.hints?.booleanFor(name) : undefined) ?? this.opts.rng.chance(0.5);
      case 'integer': return this.number(node, name, true);
      case 'number': return this.number(node, name, false);
      case 'array': return this.array(node, name, depth);
      case 'object': return this.object(node, depth);
      default: return this.string(node, name);
    }
  }

  private fromEnum(values: unknown[], name: string): unknown {
    // The value given next to the property's name first ("metric "wind""), then any value mentioned.
    const given = name ? this.opts.hints?.stringFor(name) : undefined;
    const named = given === undefined ? undefined : values.find((v) => typeof v === 'string' && v.toLowerCase() === given.toLowerCase());
    if (named !== undefined) return named;
    const mentioned = values.find((v) => typeof v === 'string' && this.opts.hints?.mentions(v));
    return mentioned !== undefined ? mentioned : this.opts.rng.pick(values);
  }

  private chooseBranch(branches: unknown[], name: string, depth: number): unknown {
    const resolved = branches.map((b) => (isSchema(b) && typeof b.$ref === 'string' ? resolveRef(this.root, b.$ref) : b));
    const isNull = (b: unknown) => isSchema(b) && (b.type === 'null' || (Array.isArray(b.enum) && b.enum.length === 1 && b.enum[0] === null));
    const nullIndex = resolved.findIndex(isNull);
    if (depth >= this.maxDepth) {
      if (nullIndex >= 0) return branches[nullIndex];
      const flat = resolved.findIndex((b) => isSchema(b) && b.type !== 'object' && b.type !== 'array' && !('$ref' in b));
      if (flat >= 0) return branches[flat];
    }
    const others = branches.filter((_, i) => i !== nullIndex);
    if (nullIndex >= 0 && (others.length === 0 || (!this.opts.grounded && !this.hasHint(name) && this.opts.rng.chance(0.2)))) return branches[nullIndex];
    if (this.hasHint(name)) {
      const stringBranch = others.find((b) => isSchema(b) && b.type === 'string');
      if (stringBranch) return stringBranch;
    }
    return this.opts.rng.pick(others);
  }

  private hasHint(name: string): boolean {
    return !!name && this.opts.hints?.stringFor(name) !== undefined;
  }

  /** Whether the user's messages say anything about this property (its value, an enum word, its parts). */
  private mentioned(name: string, node: unknown, depth: number): boolean {
    const h = this.opts.hints;
    if (!h || depth > this.maxDepth) return false;
    if (h.stringFor(name) !== undefined || h.numberFor(name) !== undefined || h.booleanFor(name) !== undefined || h.listFor(name) || h.itemHints(name)) return true;
    return this.variants(node).some((n) => {
      if (Array.isArray(n.enum)) return n.enum.some((v) => typeof v === 'string' && h.mentions(v));
      if (typeof n.const === 'string') return h.mentions(n.const);
      if (isSchema(n.items)) return this.variants(n.items).some((it) => Array.isArray(it.enum) && it.enum.some((v) => typeof v === 'string' && h.mentions(v)));
      const props = isSchema(n.properties) ? n.properties : {};
      return Object.entries(props).some(([k, sub]) => this.mentioned(k, sub, depth + 1));
    });
  }

  /** The schemas a node may take ($ref followed, anyOf/oneOf branches flattened). */
  private variants(node: unknown, seen = 0): Schema[] {
    if (!isSchema(node) || seen > 4) return [];
    if (typeof node.$ref === 'string') return this.variants(resolveRef(this.root, node.$ref), seen + 1);
    const branches = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
    return branches ? [node, ...branches.flatMap((b) => this.variants(b, seen + 1))] : [node];
  }

  private allowsNull(node: unknown): boolean {
    return this.variants(node).some((n) => n.type === 'null' || (Array.isArray(n.type) && n.type.includes('null')) || (Array.isArray(n.enum) && n.enum.includes(null)));
  }

  private chooseType(node: Schema, name: string, depth: number): string {
    const declared = Array.isArray(node.type) ? (node.type as string[]) : typeof node.type === 'string' ? [node.type] : inferTypes(node);
    const nonNull = declared.filter((t) => t !== 'null');
    if (nonNull.length === 0) return 'null';
    if (declared.includes('null') && (depth >= this.maxDepth || (!this.opts.grounded && !this.hasHint(name) && this.opts.rng.chance(0.2)))) return 'null';
    if (this.hasHint(name) && nonNull.includes('string')) return 'string';
    return this.opts.rng.pick(nonNull);
  }

  private string(node: Schema, name: string): string {
    const { rng } = this.opts;
    const minLength = typeof node.minLength === 'number' ? node.minLength : 0;
    // A limit that strict mode moved into the description ("maxLength: 40") is read there, as a model does.
    const noted = /maxLength:\s*(\d+)/.exec(typeof node.description === 'string' ? node.description : '');
    const maxLength = typeof node.maxLength === 'number' ? node.maxLength : noted ? Number(noted[1]) : Infinity;
    const fits = (s: string) =>
      s.length >= minLength && s.length <= maxLength && (typeof node.pattern !== 'string' || safeTest(node.pattern, s));
    const hint = name ? this.opts.hints?.stringFor(name) : undefined;
    if (hint !== undefined && fits(hint) && (typeof node.format !== 'string' || formatFits(node.format, hint))) return hint;
    // A value over the limit (a call made again after "must NOT have more than N characters") is shortened, at a word break.
    if (hint !== undefined && hint.length > maxLength && maxLength > 0) {
      const cut = hint.slice(0, maxLength + 1).replace(/\s+\S*$/, '').trim() || hint.slice(0, maxLength);
      if (fits(cut) && (typeof node.format !== 'string' || formatFits(node.format, cut))) return cut;
    }
    let s: string | undefined;
    if (typeof node.format === 'string') s = stringForFormat(node.format, rng);
    if (s === undefined && typeof node.pattern === 'string') s = stringForPattern(node.pattern, rng);
    if (s === undefined) s = stringForName(name, rng);
    while (s.length < minLength) s += ` ${words(rng, 1, 2)}`;
    if (s.length > maxLength) s = s.slice(0, maxLength);
    return s;
  }

  private number(node: Schema, name: string, integer: boolean): number {
    const step = integer ? 1 : 0.01;
    let lo = typeof node.minimum === 'number' ? node.minimum : -Infinity;
    let hi = typeof node.maximum === 'number' ? node.maximum : Infinity;
    if (typeof node.exclusiveMinimum === 'number') lo = Math.max(lo, node.exclusiveMinimum + step);
    if (typeof node.exclusiveMaximum === 'number') hi = Math.min(hi, node.exclusiveMaximum - step);
    if (node.exclusiveMinimum === true) lo += step; // draft-04 form
    if (node.exclusiveMaximum === true) hi -= step;
    if (integer) [lo, hi] = [Math.ceil(lo), Math.floor(hi)];
    const multipleOf = typeof node.multipleOf === 'number' && node.multipleOf > 0 ? node.multipleOf : undefined;
    const ok = (v: number) => v >= lo && v <= hi && (!integer || Number.isInteger(v)) && (!multipleOf || isMultiple(v, multipleOf));
    const hint = name ? this.opts.hints?.numberFor(name) : undefined;
    if (hint !== undefined && ok(hint)) return hint;
    if (lo === -Infinity && hi === Infinity) [lo, hi] = integer ? [1, 100] : [1, 100];
    else if (lo === -Infinity) lo = Math.min(hi, 0) - 100 * (hi < 0 ? 1 : 0);
    else if (hi === Infinity) hi = lo + 100;
    if (hi - lo > 1000) {
      // Huge ranges (e.g. zod's int max 2^53) still get everyday numbers.
      if (lo <= 1 && hi >= 101) [lo, hi] = [1, 101];
      else if (lo > 1) hi = lo + 100;
      else lo = hi - 100;
    }
    const { rng } = this.opts;
    if (multipleOf) {
      const k = rng.int(Math.ceil(lo / multipleOf), Math.max(Math.ceil(lo / multipleOf), Math.floor(hi / multipleOf)));
      return Number((k * multipleOf).toFixed(10));
    }
    if (integer) return rng.int(lo, Math.max(lo, hi));
    const v = Math.round((lo + rng.next() * (hi - lo)) * 100) / 100;
    return Math.min(hi, Math.max(lo, v));
  }

  private array(node: Schema, name: string, depth: number): unknown[] {
    const { rng } = this.opts;
    const tuple = Array.isArray(node.prefixItems) ? node.prefixItems : Array.isArray(node.items) ? node.items : undefined;
    if (tuple) return tuple.map((s, i) => this.value(s, `${name}_${i}`, depth + 1));
    const min = typeof node.minItems === 'number' ? node.minItems : 0;
    const max = typeof node.maxItems === 'number' ? node.maxItems : min + 3;
    const low = Math.min(Math.max(min, 1), max);
    const hinted = this.hintedItems(node, name, depth, min, max);
    if (hinted) return hinted;
    const count = depth >= this.maxDepth ? min : rng.int(low, Math.min(max, low + 2));
    const itemName = name.endsWith('s') ? name.slice(0, -1) : name;
    const out: unknown[] = [];
    const seen = new Set<string>();
    for (let attempt = 0; out.length < count && attempt < count * 6; attempt++) {
      const v = this.value(node.items, itemName, depth + 1);
      const key = canonicalJson(v);
      if (node.uniqueItems === true && seen.has(key)) continue;
      seen.add(key);
      out.push(v);
    }
    return out;
  }

  /** The items the user listed (`cities "Paris" and "Rome"`, numbered objects), within the bounds. */
  private hintedItems(node: Schema, name: string, depth: number, min: number, max: number): unknown[] | undefined {
    const hints = this.opts.hints;
    if (!hints || !name || !isSchema(node.items)) return undefined;
    const item = this.variants(node.items).find((v) => v.type !== undefined || Array.isArray(v.enum)) ?? node.items;
    const itemName = name.endsWith('s') ? name.slice(0, -1) : name;
    let out: unknown[] | undefined;
    if (item.type === 'object' || isSchema(item.properties)) {
      out = hints.itemHints(name)?.map((h) => new ValueGenerator(this.root, { ...this.opts, hints: h }).value(node.items, itemName, depth + 1));
    } else {
      const wanted = item.type === 'integer' || item.type === 'number' ? 'number' : 'string';
      const list = hints.listFor(name)?.filter((v) => typeof v === wanted && (!Array.isArray(item.enum) || item.enum.includes(v)));
      out = list?.length ? list : undefined;
    }
    if (!out) return undefined;
    if (node.uniqueItems === true) out = [...new Map(out.map((v) => [canonicalJson(v), v])).values()];
    out = out.slice(0, max);
    while (out.length < min) out.push(this.value(node.items, itemName, depth + 1));
    return out;
  }

  private object(node: Schema, depth: number): Record<string, unknown> {
    const { rng } = this.opts;
    const props = isSchema(node.properties) ? node.properties : {};
    const required = Array.isArray(node.required) ? (node.required as string[]) : [];
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(props)) {
      const optional = !required.includes(key) || (this.opts.strict && this.allowsNull(props[key]));
      if (this.opts.grounded && optional && !this.mentioned(key, props[key], depth)) {
        if (required.includes(key)) out[key] = null;
        continue;
      }
      const include = this.opts.strict || required.includes(key) || this.opts.grounded || (depth < this.maxDepth && rng.chance(0.5));
      if (include) out[key] = this.value(props[key], key, depth + 1);
    }
    for (const key of required) if (!(key in out)) out[key] = this.value({}, key, depth + 1);
    const extra = node.additionalProperties;
    const minProps = typeof node.minProperties === 'number' ? node.minProperties : 0;
    const openMap = Object.keys(props).length === 0 && extra !== false && (isSchema(extra) || extra === true);
    const wanted = Math.max(minProps, openMap && depth < this.maxDepth ? rng.int(1, 2) : 0);
    for (let i = 1; Object.keys(out).length < wanted && extra !== false; i++) {
      out[`key${i}`] = this.value(isSchema(extra) ? extra : {}, `key${i}`, depth + 1);
    }
    return out;
  }
}

function inferTypes(node: Schema): string[] {
  if ('properties' in node || 'additionalProperties' in node || 'required' in node) return ['object'];
  if ('items' in node || 'prefixItems' in node || 'minItems' in node) return ['array'];
  if ('minimum' in node || 'maximum' in node || 'multipleOf' in node) return ['number'];
  return ['string'];
}

/** Shallow merge of allOf members (properties and required lists combined). */
function mergeAll(node: Schema): Schema {
  const { allOf, ...rest } = node;
  const merged: Schema = { ...rest };
  for (const part of allOf as unknown[]) {
    if (!isSchema(part)) continue;
    const { properties, required, ...others } = part;
    Object.assign(merged, others);
    if (isSchema(properties)) merged.properties = { ...(merged.properties as Schema | undefined), ...properties };
    if (Array.isArray(required)) merged.required = [...((merged.required as string[]) ?? []), ...required];
  }
  return merged;
}

/** Whether a string the user gave has the declared format (unknown formats accept anything). */
function formatFits(format: string, value: string): boolean {
  const validate = schemaValidator({ type: 'string', format });
  return !validate || validate(value);
}

function isMultiple(v: number, m: number): boolean {
  const q = v / m;
  return Math.abs(q - Math.round(q)) < 1e-9;
}

function safeTest(pattern: string, s: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(s);
  } catch {
    return true;
  }
}

/** A value for `schema`. It is checked with ajv; if the hinted attempt does not validate, a few
 * unhinted attempts follow, and the best effort is returned when the schema cannot be satisfied. */
export function generateValue(schema: unknown, opts: GenerateOptions): unknown {
  const validate = schemaValidator(schema);
  let value = new ValueGenerator(schema, opts).value(schema, '', 0);
  for (let attempt = 1; validate && !validate(value) && attempt <= 4; attempt++) {
    value = new ValueGenerator(schema, { ...opts, hints: undefined, rng: opts.rng.fork(attempt) }).value(schema, '', 0);
  }
  return value;
}
