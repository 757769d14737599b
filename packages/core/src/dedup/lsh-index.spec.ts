import { findNearDuplicates } from './find-near-duplicates';
import { LshIndex } from './lsh-index';
import { UnionFind } from './union-find';
import { createRng } from '../util/rng';

const OPTS = { threshold: 0.85, numPerm: 64, bands: 16, shingle: 2 };

describe('findNearDuplicates', () => {
  it('points every copy at the first row and counts one cluster per group', () => {
    const texts = ['alpha beta gamma delta epsilon', 'zeta eta theta iota kappa', 'ALPHA beta, gamma delta epsilon!', 'zeta eta theta iota kappa', 'lambda mu nu xi omicron'];
    const { duplicateOf, clusters } = findNearDuplicates(texts, OPTS);
    expect([...duplicateOf]).toEqual([-1, -1, 0, 1, -1]);
    expect(clusters).toBe(2);
  });

  it('handles one huge bucket of identical rows in linear comparisons', () => {
    const texts = Array.from({ length: 20000 }, () => 'the very same request every time');
    const { duplicateOf, clusters } = findNearDuplicates(texts, OPTS);
    expect(clusters).toBe(1);
    expect(duplicateOf[0]).toBe(-1);
    expect(duplicateOf.every((d, i) => i === 0 || d === 0)).toBe(true);
  });

  it('accepts any iterable (a generator) and stays deterministic', () => {
    function* texts() {
      for (let i = 0; i < 300; i++) yield `request number ${i % 100} about the forecast in city ${i % 100}`;
    }
    const a = findNearDuplicates(texts(), OPTS);
    const b = findNearDuplicates([...texts()], OPTS);
    expect([...a.duplicateOf]).toEqual([...b.duplicateOf]);
    expect(a.clusters).toBe(100);
    expect(a.duplicateOf[250]).toBe(50);
  });

  it('bounds the verifications when thousands of rows share buckets without being duplicates, and still finds the copies', () => {
    // 40 templates plus a random 3-number suffix: rows of one template collide in most bands
    // (Jaccard 0.5-0.8) without being duplicates. Every 50th row comes back 1-2,000 rows later as a
    // copy that differs only in case and punctuation.
    const rng = createRng(11);
    const words = 'weather forecast city today tomorrow please check show me the in for what is how will be air quality alerts sunrise time get tell list any near around right now'.split(' ');
    const templates = Array.from({ length: 40 }, () => Array.from({ length: rng.int(10, 14) }, () => rng.pick(words)).join(' '));
    const texts: string[] = [];
    const copies: [number, number][] = [];
    const due = new Map<number, number[]>();
    for (let i = 0; texts.length < 20000; i++) {
      for (const original of due.get(texts.length) ?? []) {
        copies.push([original, texts.length]);
        texts.push(`${texts[original].toUpperCase()}!!`);
      }
      const at = texts.length;
      texts.push(`${rng.pick(templates)} ${rng.int(0, 1e6)} ${rng.int(0, 1e6)} ${rng.int(0, 1e6)}`);
      if (i % 50 === 0) {
        const later = at + rng.int(1, 2000);
        due.set(later, [...(due.get(later) ?? []), at]);
      }
    }
    const { duplicateOf, comparisons } = findNearDuplicates(texts, { threshold: 0.85, numPerm: 128, bands: 32, shingle: 3 });
    const keptOf = (i: number) => (duplicateOf[i] < 0 ? i : duplicateOf[i]);
    expect(copies.length).toBeGreaterThan(300);
    expect(copies.filter(([a, b]) => keptOf(a) !== keptOf(b))).toEqual([]);
    // Checking every row against up to 64 clusters of each of its 32 buckets would be ~40 million.
    expect(comparisons).toBeLessThanOrEqual(texts.length * 65);
  });

  it('does not merge rows whose bands collide but whose signatures disagree', () => {
    const index = new LshIndex({ bands: 2, rows: 2 });
    index.add([1, 2, 3, 4]);
    index.add([1, 2, 9, 9]); // shares band 0 only: similarity 0.5
    expect([...index.cluster(0.75).duplicateOf]).toEqual([-1, -1]);
    expect([...index.cluster(0.5).duplicateOf]).toEqual([-1, 0]);
    expect(index.similarity(0, 1)).toBe(0.5);
  });

  it('grows its signature buffer past the expected size', () => {
    const index = new LshIndex({ bands: 1, rows: 2, expectedSize: 1 });
    for (let i = 0; i < 10; i++) index.add([i, i]);
    index.add([3, 3]);
    expect(index.size).toBe(11);
    expect([...index.signature(10)]).toEqual([3, 3]);
    expect(index.cluster(1).duplicateOf[10]).toBe(3);
  });

  it('explains bad options', () => {
    expect(() => findNearDuplicates([], { ...OPTS, threshold: 0 })).toThrow(/threshold must be in \(0, 1\]/);
    expect(() => findNearDuplicates([], { ...OPTS, shingle: 0 })).toThrow(/shingle must be a positive integer/);
    expect(() => new LshIndex({ bands: 2, rows: 2 }).add([1, 2, 3])).toThrow(/needs bands\*rows = 4/);
  });
});

describe('UnionFind', () => {
  it('roots every set at its smallest index', () => {
    const uf = new UnionFind(6);
    uf.union(5, 3);
    uf.union(3, 4);
    uf.union(4, 1);
    expect([0, 1, 2, 3, 4, 5].map((i) => uf.find(i))).toEqual([0, 1, 2, 1, 1, 1]);
    expect(uf.union(5, 1)).toBe(false);
  });
});
