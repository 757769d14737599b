// JSON helpers for the formats. `pyJson` writes JSON exactly as the chat template's `tojson` filter
// (@huggingface/jinja, which follows Python's json.dumps): ", " and ": " separators, non-ASCII kept.
// Using the same spelling in the Hermes rows and in the template keeps a Hermes row rendered with
// plain ChatML byte-identical to the OpenAI row rendered with our tool template.

export function pyJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`;
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue; // as JSON.stringify: an undefined member is absent
      parts.push(`${JSON.stringify(k)}: ${pyJson(v)}`);
    }
    return `{${parts.join(', ')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value) ?? 'null';
}

/** Drops undefined members and non-JSON values (what a JSONL line can hold). */
export function toPlainJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

export function tryParseJson(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Deep equality of JSON values: object key order does not matter, array order does. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bb[i])) return false;
    return true;
  }
  // Plain loops, no key arrays: this runs per row on whole tool lists (formats/openai.ts).
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let defined = 0;
  for (const k in ao) {
    if (!Object.prototype.hasOwnProperty.call(ao, k) || ao[k] === undefined) continue;
    defined++;
    if (!Object.prototype.hasOwnProperty.call(bo, k) || !jsonEqual(ao[k], bo[k])) return false;
  }
  for (const k in bo) if (Object.prototype.hasOwnProperty.call(bo, k) && bo[k] !== undefined) defined--;
  return defined === 0;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Splits text holding one or more top-level JSON values (one per line, space separated, or an array)
 * into the values that parse; fragments that do not parse are returned as errors.
 * Used for `<tools>` blocks of external datasets, which come in all three spellings.
 */
export function scanJsonValues(text: string): { values: unknown[]; errors: string[] } {
  const whole = tryParseJson(text.trim());
  if (whole.ok) return { values: Array.isArray(whole.value) ? whole.value : [whole.value], errors: [] };
  const values: unknown[] = [];
  const errors: string[] = [];
  let i = 0;
  while (i < text.length) {
    const start = text.slice(i).search(/[{[]/);
    if (start < 0) break;
    const from = i + start;
    const end = matchingClose(text, from);
    const chunk = text.slice(from, end);
    const parsed = tryParseJson(chunk);
    if (parsed.ok) values.push(...(Array.isArray(parsed.value) ? parsed.value : [parsed.value]));
    else errors.push(`${parsed.error} in ${chunk.length > 80 ? `${chunk.slice(0, 77)}...` : chunk}`);
    i = end;
  }
  return { values, errors };
}

/** Index just past the bracket that closes the one at `from` (string-aware); text end if unbalanced. */
function matchingClose(text: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}
