// Values as BFCL's Python checker sees them. JSON.parse forgets whether `7.0` was written as a float,
// and BFCL's type checks depend on it (an int is accepted for a float parameter, a float is not
// accepted for an integer one). `parsePyJson` keeps integral floats as `PyFloat`; every other number
// is an int when it is integral and a float when it is not, as in Python.

/** A float whose value happens to be integral (`7.0`): a plain JS number would read as an int. */
export class PyFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}

export type PyType = 'int' | 'float' | 'str' | 'bool' | 'list' | 'dict' | 'none';

export function pyType(v: unknown): PyType {
  if (v === null || v === undefined) return 'none';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

export function isDict(v: unknown): v is Record<string, unknown> {
  return pyType(v) === 'dict';
}

/** The number behind an int, float or bool (Python's True == 1), else undefined. */
function numeric(v: unknown): number | undefined {
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

/** Python `a == b` for JSON values: numbers (and bools) by value, lists element-wise, dicts by keys. */
export function pyEquals(a: unknown, b: unknown): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined || nb !== undefined) return na !== undefined && nb !== undefined && na === nb;
  const ta = pyType(a);
  if (ta !== pyType(b)) return false;
  if (ta === 'list') {
    const la = a as unknown[];
    const lb = b as unknown[];
    return la.length === lb.length && la.every((x, i) => pyEquals(x, lb[i]));
  }
  if (ta === 'dict') {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && pyEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

/** Python `value in list`. */
export function pyIn(value: unknown, list: readonly unknown[]): boolean {
  return list.some((x) => pyEquals(value, x));
}

/** The value as plain JSON (PyFloat unwrapped). */
export function toPlain(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(toPlain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]));
  return v;
}

/** JSON text that writes integral floats as `7.0` (what BFCL's files and Python's json.dumps do). */
export function pyJsonStringify(v: unknown): string {
  if (v instanceof PyFloat) return Number.isFinite(v.value) ? `${v.value}.0`.replace(/e(.*)\.0$/, 'e$1') : 'null';
  if (Array.isArray(v)) return `[${v.map(pyJsonStringify).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pyJsonStringify(x)}`).join(', ')}}`;
  return JSON.stringify(v) ?? 'null';
}

/** JSON.parse that keeps integral floats (`7.0`, `1e3`) as PyFloat. Throws SyntaxError like JSON.parse. */
export function parsePyJson(text: string): unknown {
  // Validate with the native parser first: the scanner below then only has to find number tokens.
  JSON.parse(text);
  return new PyJsonReader(text).document();
}

class PyJsonReader {
  private i = 0;
  constructor(private readonly s: string) {}

  document(): unknown {
    const v = this.value();
    this.ws();
    return v;
  }

  private ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i])) this.i++;
  }

  private value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (this.s.startsWith('true', this.i)) return (this.i += 4), true;
    if (this.s.startsWith('false', this.i)) return (this.i += 5), false;
    if (this.s.startsWith('null', this.i)) return (this.i += 4), null;
    return this.number();
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') return this.i++, out;
    for (;;) {
      this.ws();
      const key = this.string();
      this.ws();
      this.i++; // ':'
      out[key] = this.value();
      this.ws();
      if (this.s[this.i++] === '}') return out;
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') return this.i++, out;
    for (;;) {
      out.push(this.value());
      this.ws();
      if (this.s[this.i++] === ']') return out;
    }
  }

  private string(): string {
    const start = this.i++;
    while (this.s[this.i] !== '"') this.i += this.s[this.i] === '\\' ? 2 : 1;
    this.i++;
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }

  private number(): number | PyFloat {
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    const token = m![0];
    this.i += token.length;
    const n = Number(token);
    return (m![1] !== undefined || m![2] !== undefined) && Number.isInteger(n) ? new PyFloat(n) : n;
  }
}
