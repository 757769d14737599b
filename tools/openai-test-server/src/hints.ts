// Values the user's last message gives for a property, so generated arguments echo the request
// ("weather for city: 'Paris'" -> {"city": "Paris"}) and grounded answers stay plausible.

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

const QUOTED_AFTER = /^\s*(?:[:=]\s*|\s+(?:is|of|for|in|named|called|to|as)\s+|\s+)?(?:"([^"]+)"|'([^']+)'|“([^”]+)”|`([^`]+)`)/;
const COLON_VALUE = /^\s*[:=]\s*([^,;\n"']+?)\s*(?=[,;\n?!]|\.(?:\s|$)|$)/;
const CAPITALISED_AFTER = /^\s+(?:is\s+|of\s+|for\s+|in\s+|named\s+|called\s+)?([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)/;
const PLACE_AFTER_PREPOSITION = /\b(?:in|at|for|to|from|near)\s+([A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)/;

export class UserHints {
  private readonly lower: string;
  constructor(readonly text: string) {
    this.lower = text.toLowerCase();
  }

  /** Whether `value` appears in the text as a whole word (case-insensitive). */
  mentions(value: string): boolean {
    if (!value) return false;
    return new RegExp(`(^|[^\\w])${escapeRegExp(value.toLowerCase())}($|[^\\w])`).test(this.lower);
  }

  /** A string the user gave for a property called `name`, if the text names it. */
  stringFor(name: string): string | undefined {
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
    for (const v of nameVariants(name)) {
      const e = escapeRegExp(v);
      const after = new RegExp(`\\b${e}s?\\b\\s*(?:[:=]|is|of)?\\s*(-?\\d+(?:\\.\\d+)?)`, 'i').exec(this.text);
      if (after) return Number(after[1]);
      const before = new RegExp(`(-?\\d+(?:\\.\\d+)?)\\s*${e}s?\\b`, 'i').exec(this.text);
      if (before) return Number(before[1]);
    }
    return undefined;
  }

  private wordPositions(word: string): number[] {
    const re = new RegExp(`(^|[^\\w])(${escapeRegExp(word)})(?![\\w])`, 'g');
    const out: number[] = [];
    let m: RegExpExecArray | null;
    while ((m = re.exec(this.lower))) out.push(m.index + m[1].length);
    return out;
  }
}
