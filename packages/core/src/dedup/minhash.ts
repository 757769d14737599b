// MinHash signatures with numPerm universal hash functions h_i(x) = (a_i * x + b_i) mod 2^32, a_i odd
// (so each h_i is a permutation of the 32-bit values). The product is taken with Math.imul, which
// is exact modulo 2^32; the npm `minhash` package computes `a*h+b` in doubles, where products above
// 2^53 silently lose their low bits. Inputs are already murmur-mixed shingle hashes, so the
// linear family ranks them like independent random permutations (checked in minhash.spec.ts).
import { createRng } from '../util/rng';
import { simdMinhash } from './minhash-simd';

// Global built-ins read once: inside vm contexts (Jest, sandboxes) every `Math.x` lookup in a hot loop
// goes through the global proxy and runs ~100x slower.
const imul = Math.imul;

export interface Permutations {
  numPerm: number;
  seed: number;
  a: Uint32Array;
  b: Uint32Array;
}

export const DEFAULT_MINHASH_SEED = 1;

const SIGN = 0x80000000 | 0;
const MAX_SIGNED = 0x7fffffff; // = 0xffffffff ^ SIGN: the empty set's value

let lastPermutations: Permutations | undefined;

/** The (a_i, b_i) pairs for a seed: deterministic, cached for the last (numPerm, seed) asked for. */
export function permutations(numPerm: number, seed = DEFAULT_MINHASH_SEED): Permutations {
  if (!Number.isInteger(numPerm) || numPerm < 1) throw new RangeError(`numPerm must be a positive integer, got ${numPerm}`);
  if (lastPermutations && lastPermutations.numPerm === numPerm && lastPermutations.seed === seed) return lastPermutations;
  const rng = createRng(seed >>> 0);
  const a = new Uint32Array(numPerm);
  const b = new Uint32Array(numPerm);
  for (let i = 0; i < numPerm; i++) {
    a[i] = (rng.seed() | 1) >>> 0;
    b[i] = rng.seed();
  }
  lastPermutations = { numPerm, seed, a, b };
  return lastPermutations;
}

/** h_i(x) for one permutation: exact (a*x + b) mod 2^32. */
export function permute(a: number, b: number, x: number): number {
  return (imul(a, x) + b) >>> 0;
}

/**
 * MinHash signature of a set of 32-bit shingle hashes: out[i] = min over x of h_i(x). An empty set
 * gives all 0xffffffff. Writes into `out` when given (e.g. a subarray of a big signature buffer).
 * Runs the WebAssembly SIMD kernel (minhash-simd.ts) when numPerm is a multiple of 16.
 */
export function minhashSignature(
  shingleHashes: ArrayLike<number>,
  numPerm: number,
  seed = DEFAULT_MINHASH_SEED,
  out: Uint32Array = new Uint32Array(numPerm),
): Uint32Array {
  if (out.length < numPerm) throw new RangeError(`signature buffer holds ${out.length} values, needs ${numPerm}`);
  const kernel = numPerm % 16 === 0 ? simdMinhash() : undefined;
  if (!kernel) return minhashSignatureScalar(shingleHashes, numPerm, seed, out);
  const { a, b } = permutations(numPerm, seed);
  kernel.signature(shingleHashes, numPerm, a, b, out);
  return out;
}

/** minhashSignature in plain JavaScript (where the SIMD kernel does not apply); same values. */
export function minhashSignatureScalar(
  shingleHashes: ArrayLike<number>,
  numPerm: number,
  seed = DEFAULT_MINHASH_SEED,
  out: Uint32Array = new Uint32Array(numPerm),
): Uint32Array {
  if (out.length < numPerm) throw new RangeError(`signature buffer holds ${out.length} values, needs ${numPerm}`);
  const { a, b } = permutations(numPerm, seed);
  const n = shingleHashes.length;
  // Unsigned order is compared as signed order of (v ^ 2^31), so every value stays an int32 in
  // registers; four permutations per pass over the shingles keep four minima live at once.
  let i = 0;
  for (; i + 4 <= numPerm; i += 4) {
    const a0 = a[i] | 0, b0 = b[i] | 0, a1 = a[i + 1] | 0, b1 = b[i + 1] | 0;
    const a2 = a[i + 2] | 0, b2 = b[i + 2] | 0, a3 = a[i + 3] | 0, b3 = b[i + 3] | 0;
    let m0 = MAX_SIGNED, m1 = MAX_SIGNED, m2 = MAX_SIGNED, m3 = MAX_SIGNED;
    for (let s = 0; s < n; s++) {
      const x = shingleHashes[s];
      const v0 = ((imul(a0, x) + b0) ^ SIGN) | 0;
      if (v0 < m0) m0 = v0;
      const v1 = ((imul(a1, x) + b1) ^ SIGN) | 0;
      if (v1 < m1) m1 = v1;
      const v2 = ((imul(a2, x) + b2) ^ SIGN) | 0;
      if (v2 < m2) m2 = v2;
      const v3 = ((imul(a3, x) + b3) ^ SIGN) | 0;
      if (v3 < m3) m3 = v3;
    }
    out[i] = (m0 ^ SIGN) >>> 0;
    out[i + 1] = (m1 ^ SIGN) >>> 0;
    out[i + 2] = (m2 ^ SIGN) >>> 0;
    out[i + 3] = (m3 ^ SIGN) >>> 0;
  }
  for (; i < numPerm; i++) {
    const ai = a[i] | 0, bi = b[i] | 0;
    let m = MAX_SIGNED;
    for (let s = 0; s < n; s++) {
      const v = ((imul(ai, shingleHashes[s]) + bi) ^ SIGN) | 0;
      if (v < m) m = v;
    }
    out[i] = (m ^ SIGN) >>> 0;
  }
  return out;
}

/** Estimated Jaccard similarity: the share of positions where two signatures agree. */
export function signatureSimilarity(sigA: ArrayLike<number>, sigB: ArrayLike<number>): number {
  if (sigA.length !== sigB.length) throw new RangeError(`signatures differ in length (${sigA.length} vs ${sigB.length})`);
  let same = 0;
  for (let i = 0; i < sigA.length; i++) if (sigA[i] === sigB[i]) same++;
  return sigA.length === 0 ? 0 : same / sigA.length;
}
