// How far the npm `minhash` package's arithmetic is from the formula it implements: it computes
// (a * hash(s) + b) % p in doubles with a < 2^32 and hash(s) < 1.5 * 2^32, so products reach ~2^64
// and lose their low bits before the modulo. Compared here against a BigInt evaluation.
import { shingleStrings } from './minhash-package';
import { readTexts } from './worker';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Minhash } = require('minhash') as { Minhash: new (cfg?: { numPerm?: number; seed?: number }) => { permA: number[]; permB: number[]; prime: number; hash(s: string): number } };

export function packageExactness(textsFile: string, sampleRows: number, numPerm: number): { values: number; differing: number; maxProductLog2: number } {
  const m = new Minhash({ numPerm, seed: 1 });
  const p = BigInt(m.prime);
  let values = 0;
  let differing = 0;
  let maxProduct = 0;
  for (const text of readTexts(textsFile).slice(0, sampleRows)) {
    for (const s of shingleStrings(text, 3)) {
      const h = m.hash(s);
      for (let i = 0; i < numPerm; i++) {
        const float = (m.permA[i] * h + m.permB[i]) % m.prime;
        const exact = Number((BigInt(m.permA[i]) * BigInt(h) + BigInt(m.permB[i])) % p);
        values++;
        if (float !== exact) differing++;
        maxProduct = Math.max(maxProduct, m.permA[i] * h);
      }
    }
  }
  return { values, differing, maxProductLog2: Math.log2(maxProduct) };
}
