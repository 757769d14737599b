// Finding JSON inside prose: prompts carry values as JSON (`city = "Rome"`, `Arguments: {...}`,
// `get_forecast({...})`), and the reply builder reads them back the way a model would.

const SCALAR = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/;

/** The index just past the JSON value that starts at `start`, or -1 when none starts there. */
export function jsonEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return stringEnd(text, start);
  if (first !== '{' && first !== '[') {
    const m = SCALAR.exec(text.slice(start, start + 40));
    return m ? start + m[0].length : -1;
  }
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = stringEnd(text, i) - 1;
      if (i < 0) return -1;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}

/** The JSON value at `start` and where it ends, or undefined. */
export function readJsonAt(text: string, start: number): { value: unknown; end: number } | undefined {
  const end = jsonEnd(text, start);
  if (end < 0) return undefined;
  try {
    return { value: JSON.parse(text.slice(start, end)), end };
  } catch {
    return undefined;
  }
}

/** Every top-level JSON object embedded in the text, in order. */
export function embeddedObjects(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) {
    const read = readJsonAt(text, i);
    if (read && read.value && typeof read.value === 'object' && !Array.isArray(read.value)) {
      out.push(read.value as Record<string, unknown>);
      i = read.end - 1;
    }
  }
  return out;
}

/**
 * `key = value, key2 = value2` with JSON values (as prompts list the values to use). Stops at the
 * first thing that is not such a pair; returns [] when the text holds none.
 */
export function keyValuePairs(text: string): [string, unknown][] {
  const pairs: [string, unknown][] = [];
  const re = /\s*([A-Za-z_$][\w$.-]*)\s*[=:]\s*/y;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) break;
    const read = readJsonAt(text, re.lastIndex);
    if (!read) break;
    pairs.push([m[1], read.value]);
    at = read.end;
    const sep = /^\s*[,;]\s*/.exec(text.slice(at));
    if (!sep) break;
    at += sep[0].length;
  }
  return pairs;
}

/**
 * Splits prose into clauses at sentence ends and at joiners that start another request ("Also,",
 * "; ", "Plus"), never inside quotes or brackets.
 */
export function clauses(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quote: string | null = null;
  let depth = 0;
  const closing: Record<string, string> = { '"': '"', '“': '”', '`': '`' };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c in closing) quote = closing[c];
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if (depth === 0 && (((c === '.' || c === '?' || c === '!') && (i + 1 === text.length || /\s/.test(text[i + 1]))) || c === ';' || c === '\n')) {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}
