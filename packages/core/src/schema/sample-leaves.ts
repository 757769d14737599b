// Strings and numbers for the samplers: format first, then pattern, then what the property name says;
// lengths, bounds and multipleOf are honoured. `edge` picks unusual but valid values: boundaries,
// maximum lengths, very long or unicode text, zero and negatives where allowed.
import { base, en, Faker } from '@faker-js/faker';
import type { Rng } from '../util/rng';
import { longText, numberHint, type StringMaker, stringHint } from './name-hints';
import { generateFromPattern } from './regex-gen';
import type { SchemaObject } from './walk';

export interface LeafContext {
  rng: Rng;
  name?: string;
  edge: boolean;
}

let shared: Faker | undefined;
/** The faker instance, reseeded from the caller's rng before every use (deterministic, order-free). */
export function seededFaker(rng: Rng): Faker {
  if (!shared) {
    shared = new Faker({ locale: [en, base] });
    shared.setDefaultRefDate('2025-06-01T00:00:00.000Z'); // relative dates must not depend on today
  }
  shared.seed(rng.seed());
  return shared;
}

const FORMATS: Record<string, (f: Faker, edge: boolean) => string> = {
  date: (f, e) => (e ? f.helpers.arrayElement(['2000-02-29', '1970-01-01', '2099-12-31']) : dateBetween(f).slice(0, 10)),
  'date-time': (f, e) => (e ? f.helpers.arrayElement(['2000-02-29T23:59:59Z', '1970-01-01T00:00:00Z', '2024-12-31T23:59:59.999+14:00']) : dateBetween(f).replace(/\.\d{3}Z$/, 'Z')),
  'iso-date-time': (f) => dateBetween(f).slice(0, 19),
  time: (f, e) => (e ? f.helpers.arrayElement(['00:00:00Z', '23:59:59Z', '12:30:00+05:30']) : `${dateBetween(f).slice(11, 19)}Z`),
  'iso-time': (f) => dateBetween(f).slice(11, 19),
  duration: (f) => f.helpers.arrayElement(['P1D', 'PT30M', 'PT1H', 'P2W', 'P1Y2M', 'PT45S', 'P3DT4H']),
  email: (f) => f.internet.email(),
  'idn-email': (f) => f.internet.email(),
  uri: (f) => f.internet.url(),
  url: (f) => f.internet.url(),
  iri: (f) => f.internet.url(),
  'uri-reference': (f) => f.helpers.arrayElement([f.internet.url(), `/${f.word.noun()}/${f.number.int({ min: 1, max: 99 })}`]),
  'iri-reference': (f) => f.internet.url(),
  'uri-template': (f) => `${f.internet.url()}/{id}`,
  uuid: (f) => f.string.uuid(),
  hostname: (f) => f.internet.domainName(),
  'idn-hostname': (f) => f.internet.domainName(),
  ipv4: (f) => f.internet.ipv4(),
  ipv6: (f) => f.internet.ipv6(),
  regex: (f) => f.helpers.arrayElement(['^[a-z]+$', '\\d{3}-\\d{4}', 'foo|bar']),
  'json-pointer': (f) => `/${f.word.noun()}/0`,
  'relative-json-pointer': () => '1/name',
  byte: (f) => Buffer.from(f.word.words(3)).toString('base64'),
  int32: (f) => String(f.number.int({ min: -1000, max: 1000 })),
  int64: (f) => String(f.number.int({ min: 0, max: 1_000_000 })),
  json: (f) => JSON.stringify({ [f.word.noun()]: f.word.noun() }),
};

/** Fixed strings tried last against a pattern the generator cannot handle (lookarounds, ...). */
const PATTERN_FALLBACKS = ['abc', 'example', 'a1', 'A', '1', '123', 'foo-bar', 'foo_bar', 'main', 'ABC-123'];

export function sampleString(node: SchemaObject, ctx: LeafContext): string {
  const f = seededFaker(ctx.rng);
  const minLength = typeof node.minLength === 'number' ? node.minLength : 0;
  const maxLength = typeof node.maxLength === 'number' ? node.maxLength : Infinity;
  const fits = (text: string) => [...text].length >= minLength && [...text].length <= maxLength;
  const regex = typeof node.pattern === 'string' ? safeRegex(node.pattern) : undefined;
  const matches = (text: string) => fits(text) && (regex === undefined || regex.test(text));
  const format = typeof node.format === 'string' ? FORMATS[node.format] : undefined;
  if (format) {
    // a format value that also fits the pattern and lengths; otherwise the pattern decides below
    for (let i = 0; i < 5; i++) {
      const value = format(f, ctx.edge && i === 0);
      if (matches(value)) return value;
    }
    if (regex === undefined) return fitLength(format(f, false), minLength, maxLength, ctx);
  }
  const hint = stringHint(ctx.name, typeof node.description === 'string' ? node.description : undefined);
  if (typeof node.pattern === 'string') {
    // a realistic value that happens to match beats random characters: the hint first, then common shapes
    const hinted = hint.make(f, false, maxLength);
    if (matches(hinted) && !ctx.edge) return hinted;
    const realistic = realisticStrings(f).filter(matches);
    if (realistic.length && !(ctx.edge && ctx.rng.bool())) return ctx.rng.pick(realistic);
    const generated = generateFromPattern(node.pattern, ctx.rng, { minLength, maxLength, spread: ctx.edge ? 10 : 3 });
    if (generated !== undefined) return generated;
    return [hinted, ...PATTERN_FALLBACKS].find(matches) ?? hinted;
  }
  if (ctx.edge) return edgeString(f, ctx, hint.make, hint.text, minLength, maxLength);
  return fitLength(hint.make(f, false, maxLength), minLength, maxLength, ctx);
}

/** Unusual but valid: unicode, exactly the maximum or minimum length, empty, or very long free text. */
function edgeString(f: Faker, ctx: LeafContext, make: StringMaker, text: boolean, min: number, max: number): string {
  const options: (() => string)[] = [() => make(f, true, max)];
  if (Number.isFinite(max)) options.push(() => longText(f, max));
  if (min > 0) options.push(() => make(f, false, max));
  if (text && !Number.isFinite(max)) options.push(() => longText(f, ctx.rng.int(400, 1500)));
  if (min === 0 && ctx.rng.bool(0.1)) return '';
  return fitLength(ctx.rng.pick(options)(), min, max, ctx);
}

/** Common string shapes (dates, versions, colours, ids, slugs...) to match patterns with. */
function realisticStrings(f: Faker): string[] {
  const iso = dateBetween(f);
  const n = () => f.number.int({ min: 0, max: 20 });
  return [
    iso.slice(0, 7), iso.slice(0, 10), iso.replace(/\.\d{3}Z$/, 'Z'), iso.slice(11, 16), iso.slice(11, 19),
    `${n()}.${n()}.${n()}`, `v${n()}.${n()}.${n()}`, f.color.rgb(), f.string.uuid(), f.internet.email(), f.internet.url(),
    `${f.word.adjective()}-${f.word.noun()}`.toLowerCase(), f.word.noun(), f.location.zipCode('#####'),
    String(f.number.int({ min: 1, max: 9999 })), f.string.alphanumeric(8), f.internet.username(), `/${f.word.noun()}/${f.word.noun()}`,
    f.location.countryCode(), f.finance.currencyCode(), f.phone.number({ style: 'international' }), f.internet.ipv4(), f.internet.domainName(),
  ];
}

/** Pad or cut to the length bounds (counted in code points, like ajv). */
function fitLength(text: string, min: number, max: number, ctx: LeafContext): string {
  let chars = [...text];
  if (chars.length > max) chars = chars.slice(0, max);
  while (chars.length > 0 && chars.length > min && /\s/.test(chars[chars.length - 1])) chars.pop();
  const filler = 'abcdefghijklmnopqrstuvwxyz';
  while (chars.length < min) chars.push(filler[ctx.rng.int(0, filler.length - 1)]);
  return chars.join('');
}

function safeRegex(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

function dateBetween(f: Faker): string {
  return f.date.between({ from: '2018-01-01T00:00:00Z', to: '2029-12-31T23:59:59Z' }).toISOString();
}

export function sampleNumber(node: SchemaObject, integer: boolean, ctx: LeafContext): number {
  const num = (k: string) => (typeof node[k] === 'number' && Number.isFinite(node[k]) ? (node[k] as number) : undefined);
  const exMin = num('exclusiveMinimum');
  const exMax = num('exclusiveMaximum');
  const step = integer ? 1 : 0.01;
  let lo = Math.max(num('minimum') ?? -Infinity, exMin !== undefined ? exMin + step : -Infinity);
  let hi = Math.min(num('maximum') ?? Infinity, exMax !== undefined ? exMax - step : Infinity);
  if (integer) [lo, hi] = [Math.ceil(lo), Math.floor(hi)];
  const multipleOf = num('multipleOf');
  const hint = numberHint(ctx.name);
  let value: number;
  if (ctx.edge) {
    const options = [lo, hi, 0, -1, integer ? 2147483647 : 1e6, integer ? 1 : 0.001].filter((v) => Number.isFinite(v) && v >= lo && v <= hi);
    value = options.length ? ctx.rng.pick(options) : typical();
  } else value = typical();
  if (multipleOf && multipleOf > 0) value = nearestMultiple(value, multipleOf, lo, hi, integer);
  return value;

  function typical(): number {
    let a = Math.max(lo, hint.min);
    let b = Math.min(hi, hint.max);
    if (a > b) {
      // the hint's range misses the bounds: stay near whichever bound exists
      a = Number.isFinite(lo) ? lo : hi - 100;
      b = Number.isFinite(hi) ? Math.min(hi, a + 100) : a + 100;
    }
    if (integer || hint.decimals === 0 || ctx.rng.bool(0.4)) {
      const ia = Math.ceil(a);
      const ib = Math.floor(b);
      if (ia <= ib) return ctx.rng.int(ia, ib);
    }
    const scale = 10 ** Math.max(hint.decimals, 2);
    const v = Math.round((a + ctx.rng.next() * (b - a)) * scale) / scale;
    return Math.min(Math.max(v, a), b);
  }
}

/** A multiple of `m` in [lo, hi] near `value` (exact in floating point, as ajv checks it). */
function nearestMultiple(value: number, m: number, lo: number, hi: number, integer: boolean): number {
  const decimals = (String(m).split('.')[1] ?? '').length;
  const fix = (k: number) => (decimals ? Number((k * m).toFixed(decimals)) : k * m);
  const ok = (v: number) => v >= lo && v <= hi && Number.isInteger(v / m) && (!integer || Number.isInteger(v));
  const k0 = Math.round(value / m);
  for (let d = 0; d < 50; d++) {
    for (const k of [k0 + d, k0 - d]) if (ok(fix(k))) return fix(k);
  }
  const kLo = Math.ceil(lo / m);
  return Number.isFinite(kLo) ? fix(kLo) : fix(k0);
}
