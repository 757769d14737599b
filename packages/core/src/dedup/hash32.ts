// 32-bit hashing done in exact 32-bit integer arithmetic (Math.imul, >>> 0): no float products, so
// every value is the same on every platform and nothing is lost above 2^53.

// Global built-ins read once: inside vm contexts (Jest, sandboxes) every `Math.x` lookup in a hot loop
// goes through the global proxy and runs ~100x slower.
const imul = Math.imul;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 code units of a string. */
export function fnv1a32(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

export const FNV1A_OFFSET = FNV_OFFSET;
export const FNV1A_PRIME = FNV_PRIME;

/** murmur3 finaliser: a bijection on 32-bit values with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One murmur3_32 body step: mixes a 32-bit block into the running hash. */
export function murmurStep(h: number, block: number): number {
  let k = imul(block, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (imul(h, 5) + 0xe6546b64) | 0;
}

/** murmur3_32 of a sequence of 32-bit blocks `values[start .. start+count)` (length mixed in). */
export function murmur3Blocks(values: ArrayLike<number>, start: number, count: number, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < count; i++) h = murmurStep(h, values[start + i]);
  return fmix32(h ^ (count * 4));
}
