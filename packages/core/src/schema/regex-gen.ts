// Strings that match a JSON Schema `pattern`, for the samplers. Handles the regular expressions tool
// schemas actually use: literals and escapes, classes and ranges (`[a-z0-9-]`, `\d`, `\w`, negated
// classes), groups with alternation, and the quantifiers `? * + {n} {n,} {n,m}` (lazy or not).
// Lookarounds, backreferences and word boundaries are not generated: the caller then falls back to
// trying known candidates. Every result is checked with the real RegExp (`u` flag, like ajv).
import type { Rng } from '../util/rng';

type Node =
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; options: Node[] }
  | { kind: 'repeat'; node: Node; min: number; max: number }
  | { kind: 'set'; chars: string[] }
  | { kind: 'empty' };

export interface PatternOptions {
  minLength?: number;
  maxLength?: number;
  /** Extra repetitions allowed beyond a quantifier's minimum when it has no maximum. */
  spread?: number;
}

const DIGITS = range('0', '9');
const LOWER = range('a', 'z');
const UPPER = range('A', 'Z');
const WORD = [...LOWER, ...UPPER, ...DIGITS, '_'];
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
const SAFE_ANY = [...LOWER, ...DIGITS];

class Unsupported extends Error {}

/** A string matching `pattern` within the length bounds, or undefined when none was found. */
export function generateFromPattern(pattern: string, rng: Rng, options: PatternOptions = {}): string | undefined {
  let regex: RegExp;
  let ast: Node;
  try {
    regex = new RegExp(pattern, 'u');
    ast = new Parser(pattern).parse();
  } catch {
    return undefined;
  }
  const { minLength = 0, maxLength = Infinity } = options;
  const spreads = [options.spread ?? 3, 0, 1, 6, 12, 24];
  for (let attempt = 0; attempt < 24; attempt++) {
    const text = emit(ast, rng, spreads[attempt % spreads.length]);
    const length = [...text].length;
    if (length >= minLength && length <= maxLength && regex.test(text)) return text;
  }
  return undefined;
}

function emit(node: Node, rng: Rng, spread: number): string {
  switch (node.kind) {
    case 'empty':
      return '';
    case 'set':
      return rng.pick(node.chars);
    case 'seq':
      return node.items.map((n) => emit(n, rng, spread)).join('');
    case 'alt':
      return emit(rng.pick(node.options), rng, spread);
    case 'repeat': {
      const max = Math.min(node.max, node.min + spread);
      const count = rng.int(node.min, Math.max(node.min, max));
      let out = '';
      for (let i = 0; i < count; i++) out += emit(node.node, rng, spread);
      return out;
    }
  }
}

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.src.length) throw new Unsupported(`unexpected ${this.src[this.i]}`);
    return node;
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0] : { kind: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return { kind: 'seq', items };
  }

  private atom(): Node {
    const c = this.src[this.i++];
    if (c === '^' || c === '$') return { kind: 'empty' };
    if (c === '.') return { kind: 'set', chars: SAFE_ANY };
    if (c === '[') return this.charClass();
    if (c === '\\') return { kind: 'set', chars: this.escape(false) };
    if (c === '(') {
      if (this.src[this.i] === '?') {
        const ahead = this.src.slice(this.i, this.i + 3);
        if (ahead.startsWith('?:')) this.i += 2;
        else if (ahead.startsWith('?<') && ahead !== '?<=' && ahead !== '?<!') this.i = this.src.indexOf('>', this.i) + 1;
        else throw new Unsupported('lookaround');
      }
      const inner = this.alternation();
      if (this.src[this.i++] !== ')') throw new Unsupported('unclosed group');
      return inner;
    }
    if (c === ')' || c === '*' || c === '+' || c === '?') throw new Unsupported(`misplaced ${c}`);
    return { kind: 'set', chars: [c] };
  }

  private quantified(atom: Node): Node {
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return atom; // a literal brace
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (this.src[this.i] === '?' || this.src[this.i] === '+') this.i++; // lazy / possessive: same strings
    return { kind: 'repeat', node: atom, min, max };
  }

  private charClass(): Node {
    const negate = this.src[this.i] === '^';
    if (negate) this.i++;
    const chars = new Set<string>();
    // JavaScript semantics: `[]` matches nothing and `[^]` anything; a `]` is literal only when escaped
    while (this.i < this.src.length && this.src[this.i] !== ']') {
      let start: string[];
      const c = this.src[this.i++];
      start = c === '\\' ? this.escape(true) : [c];
      if (start.length === 1 && this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++;
        const endChar = this.src[this.i++];
        const end = endChar === '\\' ? this.escape(true) : [endChar];
        if (end.length !== 1) throw new Unsupported('class range to a class');
        start = range(start[0], end[0]);
      }
      for (const ch of start) chars.add(ch);
    }
    if (this.src[this.i++] !== ']') throw new Unsupported('unclosed class');
    if (negate && !chars.size) return { kind: 'set', chars: SAFE_ANY };
    const list = negate ? PRINTABLE.filter((ch) => !chars.has(ch) && /[a-z0-9 ._-]/i.test(ch)) : [...chars];
    if (!list.length) throw new Unsupported('empty class');
    return { kind: 'set', chars: list };
  }

  private escape(inClass: boolean): string[] {
    const c = this.src[this.i++];
    switch (c) {
      case 'd': return DIGITS;
      case 'w': return WORD;
      case 's': return [' '];
      case 'D': return [...LOWER, ...UPPER];
      case 'W': return ['-', '.', ' '];
      case 'S': return SAFE_ANY;
      case 'n': return ['\n'];
      case 't': return ['\t'];
      case 'r': return ['\r'];
      case 'b':
        if (inClass) return ['\b'];
        throw new Unsupported('word boundary');
      case 'x': {
        const hex = this.src.slice(this.i, this.i + 2);
        this.i += 2;
        return [String.fromCharCode(parseInt(hex, 16))];
      }
      case 'u': {
        const m = /^\{([0-9a-fA-F]+)\}|^([0-9a-fA-F]{4})/.exec(this.src.slice(this.i));
        if (!m) throw new Unsupported('bad \\u escape');
        this.i += m[0].length;
        return [String.fromCodePoint(parseInt(m[1] ?? m[2], 16))];
      }
      case 'p':
      case 'P': {
        const m = /^\{([^}]+)\}/.exec(this.src.slice(this.i));
        if (!m) throw new Unsupported('bad \\p escape');
        this.i += m[0].length;
        if (c === 'p' && /^(L|Letter|Alphabetic|L[lu])$/.test(m[1])) return [...LOWER, ...UPPER, 'é', 'ß'];
        if (c === 'p' && /^(N|Nd|Number)$/.test(m[1])) return DIGITS;
        throw new Unsupported(`\\${c}{${m[1]}}`);
      }
      default:
        if (c === undefined) throw new Unsupported('trailing backslash');
        if (/[1-9]/.test(c)) throw new Unsupported('backreference');
        return [c];
    }
  }
}

function range(from: string, to: string): string[] {
  const a = from.codePointAt(0) as number;
  const b = to.codePointAt(0) as number;
  if (b < a || b - a > 5000) throw new Unsupported('range');
  return Array.from({ length: b - a + 1 }, (_, i) => String.fromCodePoint(a + i));
}
