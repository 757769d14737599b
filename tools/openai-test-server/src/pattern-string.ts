// Best-effort strings for a JSON Schema `pattern`: a small regex walker covering literals, escapes,
// classes, groups, alternation and quantifiers. Callers check the result with RegExp and fall back.
import type { Rng } from './rng';

type Node =
  | { kind: 'alt'; options: Node[][] }
  | { kind: 'chars'; pick: string }
  | { kind: 'empty' }
  | { kind: 'repeat'; node: Node; min: number; max: number };

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const WORD = `${LOWER}${LOWER.toUpperCase()}${DIGITS}_`;
const PRINTABLE = `${WORD}-. `;

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.src.length) throw new Error(`unexpected '${this.src[this.i]}'`);
    return node;
  }

  private alternation(): Node {
    const options: Node[][] = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return { kind: 'alt', options };
  }

  private sequence(): Node[] {
    const seq: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      seq.push(this.quantified(this.atom()));
    }
    return seq;
  }

  private atom(): Node {
    const c = this.src[this.i++];
    if (c === '^' || c === '$') return { kind: 'empty' };
    if (c === '.') return { kind: 'chars', pick: WORD };
    if (c === '(') {
      if (this.src[this.i] === '?') {
        this.i++;
        const t = this.src[this.i++];
        if (t === '<' && this.src[this.i] !== '=' && this.src[this.i] !== '!') this.i = this.src.indexOf('>', this.i) + 1;
        else if (t !== ':') throw new Error('lookaround is not supported');
      }
      const inner = this.alternation();
      if (this.src[this.i++] !== ')') throw new Error('unclosed group');
      return inner;
    }
    if (c === '[') return this.charClass();
    if (c === '\\') return { kind: 'chars', pick: this.escape() };
    return { kind: 'chars', pick: c };
  }

  private escape(): string {
    const c = this.src[this.i++];
    switch (c) {
      case 'd': return DIGITS;
      case 'w': return WORD;
      case 's': return ' ';
      case 'D': return LOWER;
      case 'W': return '-';
      case 'S': return LOWER;
      case 'b': case 'B': return '';
      case 'n': return '\n';
      case 't': return '\t';
      case 'u': {
        const hex = this.src.slice(this.i, this.i + 4);
        this.i += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      case 'x': {
        const hex = this.src.slice(this.i, this.i + 2);
        this.i += 2;
        return String.fromCharCode(parseInt(hex, 16));
      }
      default: return c;
    }
  }

  private charClass(): Node {
    const negate = this.src[this.i] === '^';
    if (negate) this.i++;
    let set = '';
    let first = true;
    while (this.i < this.src.length && (this.src[this.i] !== ']' || first)) {
      first = false;
      let c = this.src[this.i++];
      if (c === '\\') c = this.escape();
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && c.length === 1) {
        this.i++;
        let end = this.src[this.i++];
        if (end === '\\') end = this.escape();
        for (let code = c.charCodeAt(0); code <= end.charCodeAt(0); code++) set += String.fromCharCode(code);
      } else set += c;
    }
    this.i++; // ]
    const pick = negate ? [...PRINTABLE].filter((ch) => !set.includes(ch)).join('') : set;
    return { kind: 'chars', pick: pick || 'x' };
  }

  private quantified(node: Node): Node {
    const c = this.src[this.i];
    let min = 1;
    let max = 1;
    if (c === '*') [min, max] = [0, 3];
    else if (c === '+') [min, max] = [1, 4];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i))) {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i))!;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? min + 3 : Number(m[3]);
      this.i += m[0].length - 1;
    } else return node;
    this.i++;
    if (this.src[this.i] === '?') this.i++; // lazy marker changes nothing here
    return { kind: 'repeat', node, min, max: Math.min(max, min + 4) };
  }
}

function emit(node: Node, rng: Rng): string {
  switch (node.kind) {
    case 'empty': return '';
    case 'chars': return node.pick ? node.pick[rng.int(0, node.pick.length - 1)] : '';
    case 'alt': return rng.pick(node.options).map((n) => emit(n, rng)).join('');
    case 'repeat': {
      let s = '';
      const n = rng.int(node.min, node.max);
      for (let k = 0; k < n; k++) s += emit(node.node, rng);
      return s;
    }
  }
}

/** A string matching `pattern`, or undefined when the pattern is beyond this walker. */
export function stringForPattern(pattern: string, rng: Rng): string | undefined {
  let re: RegExp;
  let tree: Node;
  try {
    re = new RegExp(pattern, 'u');
    tree = new Parser(pattern).parse();
  } catch {
    return undefined;
  }
  for (let attempt = 0; attempt < 8; attempt++) {
    const s = emit(tree, rng);
    if (re.test(s)) return s;
  }
  return undefined;
}
