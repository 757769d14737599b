import { fnv1a32, fmix32 } from './hash32';
import { minhashSignature, minhashSignatureScalar, permutations, permute, signatureSimilarity } from './minhash';
import { simdMinhash } from './minhash-simd';
import { normaliseText, shingleHashesScratch, shingles } from './shingles';
import { createRng } from '../util/rng';

const TWO_32 = 1n << 32n;

describe('minhash arithmetic', () => {
  it('computes (a*x + b) mod 2^32 exactly, matching a BigInt reference where doubles would round', () => {
    const { a, b } = permutations(16, 7);
    const xs = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xdeadbeef, 123456789];
    for (let i = 0; i < a.length; i++) {
      for (const x of xs) {
        const reference = Number((BigInt(a[i]) * BigInt(x) + BigInt(b[i])) % TWO_32);
        expect(permute(a[i], b[i], x)).toBe(reference);
      }
    }
    // The float product the npm package relies on loses the low bits at this size: exact is 5, float gives 0.
    expect(Number((0xffffffffn * 0xfffffffbn) % TWO_32)).toBe(5);
    expect((0xffffffff * 0xfffffffb) % 2 ** 32).not.toBe(5);
    expect(permute(0xfffffffb, 0, 0xffffffff)).toBe(5);
  });

  it('gives each slot the minimum of its permutation over the set (BigInt reference)', () => {
    const set = [5, 0xffffffff, 0x80000001, 42, 0x12345678];
    const numPerm = 10; // not a multiple of 4: exercises the remainder loop too
    const sig = minhashSignature(set, numPerm, 3);
    const { a, b } = permutations(numPerm, 3);
    for (let i = 0; i < numPerm; i++) {
      const expected = set.map((x) => (BigInt(a[i]) * BigInt(x) + BigInt(b[i])) % TWO_32).reduce((m, v) => (v < m ? v : m));
      expect(sig[i]).toBe(Number(expected));
    }
  });

  it('gives the BigInt reference minima through the WebAssembly SIMD kernel too (numPerm a multiple of 16)', () => {
    expect(simdMinhash()).toBeDefined(); // Node 20 has WebAssembly SIMD: the fast path must be taken
    const set = [5, 0xffffffff, 0x80000001, 42, 0x12345678, 0];
    const numPerm = 32;
    const sig = minhashSignature(set, numPerm, 3);
    const { a, b } = permutations(numPerm, 3);
    for (let i = 0; i < numPerm; i++) {
      const expected = set.map((x) => (BigInt(a[i]) * BigInt(x) + BigInt(b[i])) % TWO_32).reduce((m, v) => (v < m ? v : m));
      expect(sig[i]).toBe(Number(expected));
    }
  });

  it('gives the same signatures with the SIMD kernel and in plain JavaScript, for any set size and seed', () => {
    const rng = createRng(9);
    for (const [size, numPerm, seed] of [[0, 128, 1], [1, 128, 1], [37, 128, 2], [20000, 128, 1], [3, 16, 5], [300, 256, 1], [64, 128, 1]]) {
      const set = Array.from({ length: size }, () => rng.seed());
      const out = new Uint32Array(numPerm + 4).fill(7); // a larger buffer: only the first numPerm are written
      minhashSignature(set, numPerm, seed, out);
      expect([...out.subarray(0, numPerm)]).toEqual([...minhashSignatureScalar(set, numPerm, seed)]);
      expect([...out.subarray(numPerm)]).toEqual([7, 7, 7, 7]);
    }
  });

  it('uses odd multipliers (each h_i is a permutation of 32-bit values)', () => {
    const { a } = permutations(128, 1);
    expect([...a].every((x) => x % 2 === 1)).toBe(true);
  });

  it('gives all-max for the empty set', () => {
    expect([...minhashSignature([], 8)]).toEqual(new Array(8).fill(0xffffffff));
  });

  it('is deterministic for a seed and changes with the seed', () => {
    const set = shingles('the quick brown fox jumps over the lazy dog', 3);
    expect([...minhashSignature(set, 64, 9)]).toEqual([...minhashSignature(set, 64, 9)]);
    expect([...minhashSignature(set, 64, 9)]).not.toEqual([...minhashSignature(set, 64, 10)]);
  });

  it('estimates Jaccard without bias on hashed inputs', () => {
    const rng = createRng(11);
    let totalError = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const shared = Array.from({ length: 36 }, () => rng.seed());
      const a = [...shared, ...Array.from({ length: 4 }, () => rng.seed())];
      const b = [...shared, ...Array.from({ length: 4 }, () => rng.seed())];
      const truth = 36 / 44;
      totalError += signatureSimilarity(minhashSignature(a, 128, t + 1), minhashSignature(b, 128, t + 1)) - truth;
    }
    // Mean of 200 estimates: standard error ≈ sqrt(J(1-J)/128/200) ≈ 0.0024.
    expect(Math.abs(totalError / trials)).toBeLessThan(0.01);
  });
});

describe('hashing and shingles', () => {
  it('fnv1a32 matches published vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('fmix32 is the murmur3 finaliser', () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
  });

  it('normalises case, punctuation and spacing', () => {
    expect(normaliseText('  Hello,   WORLD!! get_weather({"city":"Paris"})  ')).toBe('hello world get weather city paris');
    expect(normaliseText('Ça va? Grüße — 東京')).toBe('ça va grüße 東京');
  });

  it('hashes word k-shingles of the normalised text, distinct and sorted', () => {
    const a = shingles('One two three four. ONE two three four!', 3);
    // one two three / two three four / three four one / four one two
    expect(a.length).toBe(4);
    expect([...a]).toEqual([...a].sort((x, y) => x - y));
    expect([...shingles('one, two; three four one two three four', 3)]).toEqual([...a]);
  });

  it('gives the same shingles in text order, repeats kept, from its scratch buffer (what MinHash reads)', () => {
    const text = 'One two three four. ONE two three four!';
    const scratch = [...shingleHashesScratch(text, 3)];
    expect(scratch).toHaveLength(6); // 8 words: 6 shingles, 2 of them repeats
    expect([...new Set(scratch)].sort((x, y) => x - y)).toEqual([...shingles(text, 3)]);
    expect(minhashSignature(shingleHashesScratch(text, 3), 128)).toEqual(minhashSignature(shingles(text, 3), 128));
    expect(shingleHashesScratch('', 3)).toHaveLength(0);
  });

  it('treats a text shorter than k as one shingle and an empty text as none', () => {
    expect(shingles('just two', 5).length).toBe(1);
    expect(shingles(' ... ', 3).length).toBe(0);
    expect(() => shingles('x', 0)).toThrow(/positive integer/);
  });
});
