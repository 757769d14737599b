// Words for tools and values in composed text. Values are written the way the hint reader
// (hints.ts) reads them back (`city "Rome"`, `7 days`, `cities "Paris" and "Oslo"`), so that a
// later tool call made from this text carries exactly these values, as a model's would.
import type { Rng } from './rng';
import { GENERIC_VERBS } from './tool-selection';

export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^a-zA-Z0-9]+/)
    .map((w) => w.toLowerCase())
    .filter(Boolean);
}

export function humanKey(key: string): string {
  return nameWords(key).join(' ') || key;
}

export function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

const VERB_CHOICES: Record<string, string[]> = {
  get: ['get', 'check', 'look up', 'find out', 'pull up', 'tell me'],
  fetch: ['fetch', 'get', 'pull up'],
  read: ['read', 'show me', 'open'],
  show: ['show', 'show me', 'display'],
  list: ['list', 'show me', 'go through'],
  search: ['search', 'find', 'look for'],
  find: ['find', 'look for', 'search for'],
  lookup: ['look up', 'find'],
  query: ['query', 'look up'],
  check: ['check', 'look at'],
  set: ['set', 'set up', 'create'],
  create: ['create', 'make', 'set up'],
  add: ['add', 'create'],
  update: ['update', 'change', 'edit'],
  delete: ['delete', 'remove'],
  remove: ['remove', 'delete'],
};
const DEFINITE = new Set(['get', 'fetch', 'read', 'show', 'list', 'check', 'lookup', 'query', 'update', 'delete', 'remove']);
const INDEFINITE = new Set(['set', 'create', 'add']);

/**
 * "check the current weather", "set up a weather alert", "compare cities": every meaningful word of
 * the tool's name stays, so the request reads as asking for that tool; only generic verbs vary.
 */
export function actionPhrase(toolName: string, rng: Rng, voice: 'user' | 'assistant' = 'user'): string {
  const words = nameWords(toolName);
  if (!words.length) return 'help with this';
  const [first, ...rest] = words;
  if (!GENERIC_VERBS.has(first) || !rest.length) return words.join(' ');
  const choices = (VERB_CHOICES[first] ?? [first]).filter((v) => voice === 'user' || !v.endsWith(' me'));
  const verb = rng.pick(choices.length ? choices : [first]);
  const subject = rest.join(' ');
  const article = DEFINITE.has(first) ? rng.pick(['the ', 'the ', '']) : INDEFINITE.has(first) ? (/^[aeiou]/.test(subject) ? 'an ' : 'a ') : '';
  return `${verb} ${article}${subject}`;
}

/** The subject of a tool ("current weather" for get_current_weather). */
export function topicPhrase(toolName: string): string {
  const words = nameWords(toolName);
  const rest = words.length > 1 && GENERIC_VERBS.has(words[0]) ? words.slice(1) : words;
  return rest.join(' ');
}

function quote(v: string): string {
  if (!v.includes('"')) return `"${v}"`;
  if (!v.includes('”')) return `“${v}”`;
  if (!v.includes('`')) return `\`${v}\``;
  return `'${v}'`;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** One value with its name, in words the hint reader maps back to the same value. */
export function describeValue(key: string, value: unknown, rng: Rng): string | undefined {
  const k = humanKey(key);
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    if (/^[A-Z][\w'-]*(?: [A-Z][\w'-]*)*$/.test(value) && rng.chance(0.4)) return `${k} ${value}`;
    return rng.pick([`${k} ${quote(value)}`, `the ${k} ${quote(value)}`, `${k}: ${quote(value)}`, `the ${k} set to ${quote(value)}`, `the ${k} is ${quote(value)}`]).replace(/^the the /, 'the ');
  }
  if (typeof value === 'number') {
    const plural = /[^s]s$/.test(k) && !k.includes(' ');
    return rng.pick(plural ? [`${value} ${k}`, `${k}: ${value}`] : [`${k} ${value}`, `a ${k} of ${value}`, `${k}: ${value}`]);
  }
  if (typeof value === 'boolean') return rng.pick([`${k}: ${value ? 'yes' : 'no'}`, `${k} set to ${value}`]);
  if (Array.isArray(value)) {
    if (!value.length) return undefined;
    if (value.every(isPlainObject)) {
      const items = value.map((item, i) => `${i + 1}) ${describeAll(item as Record<string, unknown>, rng, ', ')}`);
      return `${k}: ${items.join(', ')}`;
    }
    const parts = value.map((x) => (typeof x === 'string' ? quote(x) : JSON.stringify(x)));
    const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
    return rng.chance(0.5) ? `${k} ${list}` : `${k}: ${list}`;
  }
  if (isPlainObject(value)) {
    const inner = describeAll(value, rng, ', ');
    if (!inner) return undefined;
    return rng.chance(0.5) ? `${k} with ${inner}` : `${k} (${inner})`;
  }
  return `${k} ${quote(String(value))}`;
}

/** Several values: "city "Rome", 3 days and units "celsius"". */
export function describeAll(values: Record<string, unknown> | [string, unknown][], rng: Rng, last = ' and '): string {
  const entries = Array.isArray(values) ? values : Object.entries(values);
  const parts = entries.map(([k, v]) => describeValue(k, v, rng)).filter((p): p is string => !!p);
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')}${last}${parts[parts.length - 1]}`;
}

/** Facts of a tool result ("temperature 21, condition partly cloudy; day 1: high 25.6, low 17.6"), for grounded answers. */
export function resultFacts(content: string, max = 10): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    const flat = content.replace(/\s+/g, ' ').trim().replace(/^error:\s*/i, '');
    return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
  }
  const scalars = (o: Record<string, unknown>) =>
    Object.entries(o)
      .filter(([, x]) => x === null || typeof x !== 'object')
      .map(([k, x]) => `${humanKey(k)} ${String(x)}`);
  const facts: string[] = [];
  const visit = (v: unknown, label: string) => {
    if (facts.length >= max) return;
    if (Array.isArray(v)) {
      if (!v.length) facts.push(`no ${label || 'entries'}`);
      else if (!v.some(isPlainObject)) facts.push(`${label || 'items'} ${v.slice(0, 5).map(String).join(', ')}`);
      else {
        if (v.length > 3) facts.push(`${v.length} ${label || 'entries'}`);
        for (const item of v.slice(0, 3)) if (isPlainObject(item)) facts.push(scalars(item).slice(0, 5).join(', '));
      }
      return;
    }
    if (isPlainObject(v)) {
      const own = scalars(v);
      if (own.length) facts.push(own.slice(0, 6).join(', '));
      for (const [k, x] of Object.entries(v)) if (x && typeof x === 'object') visit(x, humanKey(k));
      return;
    }
    facts.push(label ? `${label} ${String(v)}` : String(v));
  };
  visit(parsed, '');
  return facts.filter(Boolean).join('; ');
}
