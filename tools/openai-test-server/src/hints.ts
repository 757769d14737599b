// Values the user's messages give for a property, so generated arguments echo the request
// ("weather for city: 'Paris'" -> {"city": "Paris"}) and grounded answers stay plausible. Values may
// also come as JSON objects inside the text (`Arguments: {"city": "Rome"}`), which are read first.
import { embeddedObjects } from './json-scan';

const QUERY_NAMES = new Set(['query', 'q', 'text', 'prompt', 'question', 'input', 'search', 'keywords', 'message']);
const PLACE_NAMES = new Set(['city', 'location', 'place', 'country', 'destination', 'origin', 'address', 'region', 'town']);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** How a property name may appear in prose: `city_name` -> city_name, city name, city. */
export function nameVariants(name: string): string[] {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase().trim();
  const out = new Set<string>([name.toLowerCase(), spaced]);
  if (spaced.endsWith('s') && spaced.length > 3) out.add(spaced.slice(0, -1));
  const parts = spaced.split(' ');
  if (parts.length > 1) out.add(parts[0]);
  return [...out].filter((v) => v.length >= 1);
}

const LINK = String.raw`(?:\s*[:=]\s*|\s+(?:is|are|of|for|in|named|called|to|as|set to|equal to|equals)\s+|\s+)?`;
const QUOTED = String.raw`(?:"([^"]+)"|'([^']+)'|“([^”]+)”|\`([^\`]+)\`)`;
const QUOTED_AFTER = new RegExp(`^${LINK}${QUOTED}`);
const COLON_VALUE = /^\s*[:=]\s*([^,;\n"']+?)\s*(?=[,;\n?!]|\.(?:\s|$)|$)/;
const CAPITALISED_AFTER = /^\s+(?:is\s+|of\s+|for\s+|in\s+|named\s+|called\s+)?([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)/;
const PLACE_AFTER_PREPOSITION = /\b(?:in|at|for|to|from|near)\s+([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)/;
const NUMBER = String.raw`(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)`;
const BOOLEAN_WORDS: Record<string, boolean> = { yes: true, no: false, true: true, false: false, on: true, off: false, enabled: true, disabled: false };
const LIST_ITEM = new RegExp(`^(?:\\s*,\\s*(?:and\\s+|or\\s+)?|\\s+and\\s+|\\s+or\\s+|\\s*)(?:${QUOTED}|${NUMBER}(?!\\w|\\.\\d))`);

type Json = Record<string, unknown>;

/** The first value found for `key` anywhere in these objects (depth first). */
function findKey(objects: Json[], key: string): unknown {
  for (const o of objects) {
    if (key in o) return o[key];
    for (const v of Object.values(o)) {
      // Objects inside lists count too ({"observations": [{"entityName": ...}]}).
      const inner = Array.isArray(v) ? v.filter((x) => x && typeof x === 'object' && !Array.isArray(x)) : v && typeof v === 'object' ? [v] : [];
      if (inner.length) {
        const hit = findKey(inner as Json[], key);
        if (hit !== undefined) return hit;
      }
    }
  }
  return undefined;
}

export class UserHints {
  private readonly lower: string;
  private readonly json: Json[];
  /**
   * @param fallback where lookups go when this text has nothing (e.g. earlier user messages, when
   *   this text is one request of several).
   */
  constructor(readonly text: string, private readonly fallback?: UserHints) {
    this.lower = text.toLowerCase();
    this.json = embeddedObjects(text);
  }

  /** Whether `value` appears in the text as a whole word (case-insensitive). */
  mentions(value: string): boolean {
    if (!value) return false;
    return new RegExp(`(^|[^\\w])${escapeRegExp(value.toLowerCase())}($|[^\\w])`).test(this.lower) || !!this.fallback?.mentions(value);
  }

  /** A string the user gave for a property called `name`, if the text names it. */
  stringFor(name: string): string | undefined {
    return this.ownString(name) ?? this.fallback?.stringFor(name);
  }

  private ownString(name: string): string | undefined {
    const fromJson = findKey(this.json, name);
    if (typeof fromJson === 'string') return fromJson;
    for (const v of nameVariants(name)) {
      for (const at of this.wordPositions(v)) {
        const after = this.text.slice(at + v.length);
        const quoted = QUOTED_AFTER.exec(after);
        if (quoted) return quoted.slice(1).find((g) => g !== undefined);
        const colon = COLON_VALUE.exec(after);
        if (colon) return colon[1];
        const caps = CAPITALISED_AFTER.exec(after);
        if (caps) return caps[1];
      }
    }
    const lowerName = name.toLowerCase();
    if (PLACE_NAMES.has(lowerName)) {
      const place = PLACE_AFTER_PREPOSITION.exec(this.text);
      if (place) return place[1];
    }
    if (QUERY_NAMES.has(lowerName) && this.text.trim()) return this.text.trim().slice(0, 200);
    return undefined;
  }

  /** A number the user gave next to a property's name ("limit 5", "3 days", "count: 2"). */
  numberFor(name: string): number | undefined {
    const fromJson = findKey(this.json, name);
    if (typeof fromJson === 'number') return fromJson;
    for (const v of nameVariants(name)) {
      const e = escapeRegExp(v);
      const after = new RegExp(`\\b${e}s?\\b\\s*(?:[:=]|is|of|set to)?\\s*${NUMBER}`, 'i').exec(this.text);
      if (after) return Number(after[1]);
      const before = new RegExp(`${NUMBER}\\s*${e}s?\\b`, 'i').exec(this.text);
      if (before) return Number(before[1]);
    }
    return this.fallback?.numberFor(name);
  }

  /** A yes/no the user gave for a property ("notify: yes", "recursive set to false"). */
  booleanFor(name: string): boolean | undefined {
    const fromJson = findKey(this.json, name);
    if (typeof fromJson === 'boolean') return fromJson;
    for (const v of nameVariants(name)) {
      const m = new RegExp(`\\b${escapeRegExp(v)}\\b\\s*(?:[:=]|is|set to)?\\s*(yes|no|true|false|on|off|enabled|disabled)\\b`, 'i').exec(this.text);
      if (m) return BOOLEAN_WORDS[m[1].toLowerCase()];
    }
    return this.fallback?.booleanFor(name);
  }

  /** A list the user gave for a property: `cities "Paris", "Rome" and "Oslo"`, `ids 1, 2, 3`. */
  listFor(name: string): (string | number)[] | undefined {
    const fromJson = findKey(this.json, name);
    if (Array.isArray(fromJson) && fromJson.every((x) => typeof x === 'string' || typeof x === 'number')) return fromJson as (string | number)[];
    for (const v of nameVariants(name)) {
      for (const at of this.wordPositions(v)) {
        let rest = this.text.slice(at + v.length).replace(new RegExp(`^${LINK}`), ' ');
        const items: (string | number)[] = [];
        for (let m = LIST_ITEM.exec(rest); m; m = LIST_ITEM.exec(rest)) {
          const quoted = m.slice(1, 5).find((g) => g !== undefined);
          items.push(quoted ?? Number(m[5]));
          rest = rest.slice(m[0].length);
        }
        if (items.length) return items;
      }
    }
    return this.fallback?.listFor(name);
  }

  /**
   * One hint scope per item of a list of objects: JSON arrays of objects, or numbered items after
   * the property's name (`stops: 1) city "Paris", day 3, 2) city "Rome", day 5`).
   */
  itemHints(name: string): UserHints[] | undefined {
    const fromJson = findKey(this.json, name);
    if (Array.isArray(fromJson) && fromJson.length && fromJson.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
      return fromJson.map((x) => new UserHints(JSON.stringify(x)));
    }
    for (const v of nameVariants(name)) {
      for (const at of this.wordPositions(v)) {
        const rest = this.text.slice(at + v.length);
        const first = /^\s*[:=]?\s*(?:\(?1\))\s*/.exec(rest);
        if (!first) continue;
        const parts = rest.slice(first[0].length).split(/,?\s*(?:and\s+)?\(?\d+\)\s*/);
        return parts.map((p) => new UserHints(p));
      }
    }
    return this.fallback?.itemHints(name);
  }

  private wordPositions(word: string): number[] {
    const re = new RegExp(`(^|[^\\w])(${escapeRegExp(word)})(?![\\w])`, 'g');
    const out: number[] = [];
    let m: RegExpExecArray | null;
    while ((m = re.exec(this.lower))) out.push(m.index + m[1].length);
    return out;
  }
}
