// Word k-shingles over normalised text, hashed to 32 bits without building shingle strings:
// each word is hashed once (FNV-1a while scanning), and a shingle's hash is murmur3 over its k word
// hashes. Normalisation: lowercase, punctuation and whitespace runs become one separator.
import { FNV1A_OFFSET, FNV1A_PRIME, murmur3Blocks } from './hash32';

// Global built-ins read once: inside vm contexts (Jest, sandboxes) every `Math.x` lookup in a hot loop
// goes through the global proxy and runs ~100x slower.
const imul = Math.imul;

// ASCII letters and digits are word characters; the rest of ASCII separates words.
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  ASCII_WORD[c] = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? 1 : 0;
}
const UNICODE_WORD = /[\p{L}\p{N}\p{M}]/u;

function isWordChar(code: number, text: string, i: number): boolean {
  if (code < 128) return ASCII_WORD[code] === 1;
  // Surrogate halves (emoji, rare scripts) count as word characters: they carry meaning.
  if (code >= 0xd800 && code <= 0xdfff) return true;
  return UNICODE_WORD.test(text[i]);
}

/** Lowercase, punctuation stripped, whitespace collapsed to single spaces, trimmed. */
export function normaliseText(text: string): string {
  return wordsOf(text).join(' ');
}

/** The words of the normalised text. */
export function wordsOf(text: string): string[] {
  const lower = text.toLowerCase();
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= lower.length; i++) {
    const word = i < lower.length && isWordChar(lower.charCodeAt(i), lower, i);
    if (word && start < 0) start = i;
    else if (!word && start >= 0) {
      words.push(lower.slice(start, i));
      start = -1;
    }
  }
  return words;
}

let wordHashes = new Uint32Array(256);

/** Hash every word of the normalised text (same result as fnv1a32 over each of `wordsOf`). Returns the count. */
function hashWords(text: string): number {
  const lower = text.toLowerCase();
  let count = 0;
  let h = FNV1A_OFFSET;
  let inWord = false;
  for (let i = 0; i <= lower.length; i++) {
    const code = i < lower.length ? lower.charCodeAt(i) : 32;
    if (i < lower.length && isWordChar(code, lower, i)) {
      h = imul(h ^ code, FNV1A_PRIME);
      inWord = true;
    } else if (inWord) {
      if (count === wordHashes.length) {
        const grown = new Uint32Array(count * 2);
        grown.set(wordHashes);
        wordHashes = grown;
      }
      wordHashes[count++] = h >>> 0;
      h = FNV1A_OFFSET;
      inWord = false;
    }
  }
  return count;
}

let scratch = new Uint32Array(256);

/**
 * The hashes of the word k-shingles of `text` in text order, repeats included, in a buffer that the
 * next call overwrites (copy what you keep). What MinHash needs, without the sort and copy of
 * `shingles`: a minimum does not depend on order or repeats.
 */
export function shingleHashesScratch(text: string, k: number): Uint32Array {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`shingle size must be a positive integer, got ${k}`);
  const n = hashWords(text);
  if (n === 0) return scratch.subarray(0, 0);
  const span = Math.min(k, n);
  const count = n - span + 1;
  if (count > scratch.length) scratch = new Uint32Array(Math.max(count, scratch.length * 2));
  for (let i = 0; i < count; i++) scratch[i] = murmur3Blocks(wordHashes, i, span, 0) >>> 0;
  return scratch.subarray(0, count);
}

/**
 * Distinct 32-bit hashes of the word k-shingles of `text`, sorted ascending. A text shorter than k
 * words gives one shingle of all its words; an empty text gives none.
 */
export function shingles(text: string, k: number): Uint32Array {
  const out = shingleHashesScratch(text, k).slice();
  if (out.length === 0) return out;
  out.sort();
  // Drop repeats in place: the signature does not depend on them and they cost time.
  let w = 1;
  for (let r = 1; r < out.length; r++) if (out[r] !== out[w - 1]) out[w++] = out[r];
  return w === out.length ? out : out.slice(0, w);
}
