// The baseline: the npm `minhash` package (0.0.9), used as its README shows (one `Minhash` per
// document, `update` per shingle, `LshIndex` insert + query), with the SAME normalisation, word
// shingles, verification threshold and union-find as ours, so only the signature and LSH differ.
import { wordsOf } from '../../packages/core/src/dedup/shingles';
import { UnionFind } from '../../packages/core/src/dedup/union-find';
import type { NearDuplicateOptions, NearDuplicateResult } from '../../packages/core/src/dedup/find-near-duplicates';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Minhash, LshIndex } = require('minhash') as {
  Minhash: new (cfg?: { numPerm?: number; seed?: number }) => { update(s: string): void; jaccard(o: unknown): number; hashvalues: number[] };
  LshIndex: new (cfg?: { bandSize?: number }) => { insert(key: string | number, m: unknown): void; query(m: unknown): string[] };
};

/** Word k-shingles as strings (what the package hashes), over the same normalised words as ours. */
export function shingleStrings(text: string, k: number): string[] {
  const words = wordsOf(text);
  if (words.length === 0) return [];
  const span = Math.min(k, words.length);
  const out = new Set<string>();
  for (let i = 0; i + span <= words.length; i++) out.add(words.slice(i, i + span).join(' '));
  return [...out];
}

export function findNearDuplicatesWithPackage(texts: string[], opts: NearDuplicateOptions): NearDuplicateResult {
  const rows = opts.numPerm / opts.bands;
  const index = new LshIndex({ bandSize: rows });
  const hashes: InstanceType<typeof Minhash>[] = [];
  for (let i = 0; i < texts.length; i++) {
    const m = new Minhash({ numPerm: opts.numPerm, seed: opts.seed ?? 1 });
    for (const s of shingleStrings(texts[i], opts.shingle)) m.update(s);
    hashes.push(m);
    index.insert(i, m);
  }
  const uf = new UnionFind(texts.length);
  for (let i = 0; i < texts.length; i++) {
    for (const key of index.query(hashes[i])) {
      const j = Number(key);
      if (j === i || uf.find(i) === uf.find(j)) continue;
      if (hashes[i].jaccard(hashes[j]) >= opts.threshold) uf.union(i, j);
    }
  }
  const duplicateOf = new Int32Array(texts.length);
  const roots = new Set<number>();
  for (let i = 0; i < texts.length; i++) {
    const root = uf.find(i);
    duplicateOf[i] = root === i ? -1 : root;
    if (root !== i) roots.add(root);
  }
  return { duplicateOf, clusters: roots.size };
}
