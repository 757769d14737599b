// The worst case for LSH clustering, dedup alone: rows made from 124 short templates plus a random
// suffix of 1-3 numbers. Rows of one template share most band buckets without being duplicates
// (Jaccard 0.6-0.8), so every bucket holds hundreds of distinct clusters. Every 20th row comes back
// 1-2,000 rows later as a planted near-duplicate (case and punctuation changed, or a greeting put in
// front; exact word-3-shingle Jaccard >= 0.9), to check recall is not bought away.
// `node bench/qc/run.js --templated-dedup [--sizes 100000,200000]`
import { LshIndex } from '../../packages/core/src/dedup/lsh-index';
import { minhashSignature } from '../../packages/core/src/dedup/minhash';
import { shingles } from '../../packages/core/src/dedup/shingles';
import { createRng } from '../../packages/core/src/util/rng';

const WORDS = 'weather forecast city today tomorrow please check show me the in for what is how will be air quality alerts sunrise sunset time get tell list any near around right now'.split(' ');
const CONFIG = { threshold: 0.85, numPerm: 128, bands: 32, shingle: 3 };

export interface TemplatedDedupResult {
  rows: number;
  suffixWords: number;
  signatureMs: number;
  clusterMs: number;
  clusterCpuMs: number;
  comparisons: number;
  duplicates: number;
  planted: number;
  recall: number;
}

function jaccard(a: Uint32Array, b: Uint32Array): number {
  const sa = new Set(a);
  let both = 0;
  for (const x of b) if (sa.has(x)) both++;
  return both / (sa.size + new Set(b).size - both);
}

export function templatedRows(n: number, suffixWords: number, seed = 3): { texts: string[]; planted: [number, number][] } {
  const rng = createRng(seed);
  const templates = Array.from({ length: 124 }, () => Array.from({ length: rng.int(8, 16) }, () => rng.pick(WORDS)).join(' '));
  const texts: string[] = [];
  const planted: [number, number][] = [];
  const due = new Map<number, number[]>();
  for (let i = 0; texts.length < n; i++) {
    for (const original of due.get(texts.length) ?? []) {
      if (texts.length >= n) break;
      const base = texts[original];
      const greeted = `hello ${base}`;
      const variant = rng.bool() && jaccard(shingles(base, 3), shingles(greeted, 3)) >= 0.9 ? greeted : `${base.toUpperCase()}!!`;
      planted.push([original, texts.length]);
      texts.push(variant);
    }
    if (texts.length >= n) break;
    const at = texts.length;
    texts.push(`${rng.pick(templates)} ${Array.from({ length: suffixWords }, () => rng.int(0, 1e6)).join(' ')}`);
    if (i % 20 === 0) {
      const later = at + rng.int(1, 2000);
      due.set(later, [...(due.get(later) ?? []), at]);
    }
  }
  return { texts, planted };
}

export function runTemplatedDedup(n: number, suffixWords: number): TemplatedDedupResult {
  const { texts, planted } = templatedRows(n, suffixWords);
  const index = new LshIndex({ bands: CONFIG.bands, rows: CONFIG.numPerm / CONFIG.bands, expectedSize: n });
  let start = process.hrtime.bigint();
  for (const text of texts) {
    minhashSignature(shingles(text, CONFIG.shingle), CONFIG.numPerm, 1, index.reserve());
    index.commit();
  }
  const signatureMs = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage();
  start = process.hrtime.bigint();
  const result = index.cluster(CONFIG.threshold);
  const clusterMs = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  const keptOf = (i: number) => (result.duplicateOf[i] < 0 ? i : result.duplicateOf[i]);
  let duplicates = 0;
  for (const d of result.duplicateOf) if (d >= 0) duplicates++;
  const found = planted.filter(([a, b]) => keptOf(a) === keptOf(b)).length;
  return {
    rows: n,
    suffixWords,
    signatureMs,
    clusterMs,
    clusterCpuMs: (used.user + used.system) / 1000,
    comparisons: result.comparisons ?? NaN,
    duplicates,
    planted: planted.length,
    recall: found / planted.length,
  };
}
