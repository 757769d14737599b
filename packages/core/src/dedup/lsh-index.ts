// Locality-sensitive hashing over MinHash signatures: `bands` bands of `rows` values each. Two rows
// become candidates when all values of one band agree; candidates are verified by estimated
// Jaccard (signature agreement) before they are joined. Memory stays lean: every signature lives in
// one growing Uint32Array, and buckets are found by radix-sorting (band hash, row) pairs in typed
// arrays (rows x bands x 8 bytes in all) instead of keeping millions of JS arrays in a Map.
import { murmur3Blocks } from './hash32';
import { PairSorter } from './radix-sort';
import { UnionFind } from './union-find';

export interface LshOptions {
  bands: number;
  rows: number;
  /** Rows expected (pre-sizes the signature buffer; it grows when exceeded). */
  expectedSize?: number;
}

export interface ClusterResult {
  /** -1 for a kept row, else the index of the kept (first) row of its cluster. */
  duplicateOf: Int32Array;
  /** Clusters with at least one duplicate. */
  clusters: number;
  /** Signature verifications made (the work the candidate pairs cost); set by LshIndex.cluster. */
  comparisons?: number;
}

/** A row is compared with at most this many distinct clusters of one bucket (bounds giant buckets). */
const MAX_COMPARISONS_PER_BUCKET = 64;
/** Verifications a row may fail over all its buckets before it is only compared by cluster identity. */
const MAX_FAILED_COMPARISONS_PER_ROW = 64;

export class LshIndex {
  readonly bands: number;
  readonly rows: number;
  readonly numPerm: number;
  private signatures: Uint32Array;
  /** The same memory as signed 32-bit words (what the similarity check reads). */
  private words: Int32Array;
  private count = 0;
  private comparisons = 0;

  constructor(opts: LshOptions) {
    const { bands, rows } = opts;
    if (!Number.isInteger(bands) || bands < 1 || !Number.isInteger(rows) || rows < 1) {
      throw new RangeError(`LSH needs positive integer bands and rows, got bands=${bands} rows=${rows}`);
    }
    this.bands = bands;
    this.rows = rows;
    this.numPerm = bands * rows;
    this.signatures = new Uint32Array(Math.max(1, opts.expectedSize ?? 1024) * this.numPerm);
    this.words = new Int32Array(this.signatures.buffer);
  }

  get size(): number {
    return this.count;
  }

  /** Appends a signature (copied); returns its row index. */
  add(signature: ArrayLike<number>): number {
    if (signature.length !== this.numPerm) {
      throw new RangeError(`signature has ${signature.length} values; this index needs bands*rows = ${this.numPerm}`);
    }
    this.reserve(1).set(signature);
    return this.count++;
  }

  /**
   * A writable slot for the next signature (avoids a copy); call `commit()` after filling it.
   * Grows the buffer by doubling when full.
   */
  reserve(extra = 1): Uint32Array {
    const needed = (this.count + extra) * this.numPerm;
    if (needed > this.signatures.length) {
      const grown = new Uint32Array(Math.max(needed, this.signatures.length * 2));
      grown.set(this.signatures.subarray(0, this.count * this.numPerm));
      this.signatures = grown;
      this.words = new Int32Array(grown.buffer);
    }
    return this.signatures.subarray(this.count * this.numPerm, (this.count + 1) * this.numPerm);
  }

  commit(): number {
    return this.count++;
  }

  signature(i: number): Uint32Array {
    return this.signatures.subarray(i * this.numPerm, (i + 1) * this.numPerm);
  }

  /** Estimated Jaccard of rows i and j. */
  similarity(i: number, j: number): number {
    const s = this.signatures;
    const n = this.numPerm;
    let same = 0;
    for (let p = 0, oi = i * n, oj = j * n; p < n; p++) if (s[oi + p] === s[oj + p]) same++;
    return same / n;
  }

  /**
   * similarity(i, j) >= threshold, stopping once too many positions disagree. Branch-free counting
   * over an int32 view, checked every 8 positions: near-threshold pairs disagree at unpredictable
   * positions, where a branch per position mispredicts often (measured ~2x slower), and uint32
   * reads above 2^31 become doubles.
   */
  private similarAtLeast(i: number, j: number, allowedMismatches: number): boolean {
    const s = this.words;
    const n = this.numPerm;
    const oi = i * n;
    const oj = j * n;
    let misses = 0;
    let p = 0;
    for (; p + 8 <= n; p += 8) {
      let x = s[oi + p] ^ s[oj + p];
      misses += (x | -x) >>> 31;
      x = s[oi + p + 1] ^ s[oj + p + 1];
      misses += (x | -x) >>> 31;
      x = s[oi + p + 2] ^ s[oj + p + 2];
      misses += (x | -x) >>> 31;
      x = s[oi + p + 3] ^ s[oj + p + 3];
      misses += (x | -x) >>> 31;
      x = s[oi + p + 4] ^ s[oj + p + 4];
      misses += (x | -x) >>> 31;
      x = s[oi + p + 5] ^ s[oj + p + 5];
      misses += (x | -x) >>> 31;
      x = s[oi + p + 6] ^ s[oj + p + 6];
      misses += (x | -x) >>> 31;
      x = s[oi + p + 7] ^ s[oj + p + 7];
      misses += (x | -x) >>> 31;
      if (misses > allowedMismatches) return false;
    }
    for (; p < n; p++) if (s[oi + p] !== s[oj + p]) misses++;
    return misses <= allowedMismatches;
  }

  /**
   * Clusters of rows whose estimated Jaccard is >= threshold (single linkage); first row of each kept.
   *
   * Work is bounded where LSH is weakest: rows made from a few templates share band buckets by the
   * thousand without being duplicates, and checking each against its bucket's clusters in every band
   * costs rows x bands x clusters comparisons. So buckets are visited smallest first (a small bucket
   * means the rows share rare shingles: the likeliest duplicates), a row already joined to an earlier
   * row is not verified again (it only stands for its cluster in later buckets), each row is compared
   * with the most recent clusters of a bucket, and a row stops being verified after
   * MAX_FAILED_COMPARISONS_PER_ROW misses over all its buckets. A true duplicate (J >= 0.85) shares
   * about half of the bands with its original, so it is almost always met in a small bucket first.
   */
  cluster(threshold: number): ClusterResult {
    if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold must be in [0, 1], got ${threshold}`);
    const n = this.count;
    const bands = this.bands;
    const uf = new UnionFind(n);
    const allowedMismatches = this.numPerm - Math.ceil(threshold * this.numPerm - 1e-9);
    // All band hashes in one row-order pass (sequential over the signature buffer), stored band-major
    // so each band's sort then reads one contiguous slice.
    const bandKeys = new Uint32Array(n * bands);
    for (let i = 0; i < n; i++) {
      const base = i * this.numPerm;
      for (let band = 0; band < bands; band++) {
        bandKeys[band * n + i] = murmur3Blocks(this.signatures, base + band * this.rows, this.rows, band);
      }
    }
    // Rows with equal band hashes become adjacent, in input order (the sort is stable).
    const rowsOf = new Uint32Array(n * bands);
    const sorter = new PairSorter(n);
    for (let band = 0; band < bands; band++) {
      const rows = rowsOf.subarray(band * n, (band + 1) * n);
      for (let i = 0; i < n; i++) rows[i] = i;
      sorter.sort(bandKeys.subarray(band * n, (band + 1) * n), rows, n);
    }
    const buckets = this.bucketsBySize(bandKeys, n);
    const budget = new Uint16Array(n).fill(MAX_FAILED_COMPARISONS_PER_ROW);
    const reps: number[] = [];
    this.comparisons = 0;
    for (let b = 0; b < buckets.count; b++) {
      const start = buckets.starts[b];
      this.joinBucket(rowsOf, start, start + buckets.sizes[b], uf, allowedMismatches, reps, budget);
    }
    const duplicateOf = new Int32Array(n);
    let clusters = 0;
    const counted = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const root = uf.find(i);
      duplicateOf[i] = root === i ? -1 : root;
      if (root !== i && !counted[root]) {
        counted[root] = 1;
        clusters++;
      }
    }
    return { duplicateOf, clusters, comparisons: this.comparisons };
  }

  // Every bucket of two or more rows over all bands (offset into the band-major sorted rows, size),
  // ordered by size, smallest first; equal sizes keep band and hash order (the sort is stable).
  private bucketsBySize(sortedKeys: Uint32Array, n: number): { starts: Uint32Array; sizes: Uint32Array; count: number } {
    let count = 0;
    for (let band = 0; band < this.bands; band++) {
      const end = (band + 1) * n;
      for (let start = band * n; start < end; ) {
        let stop = start + 1;
        while (stop < end && sortedKeys[stop] === sortedKeys[start]) stop++;
        if (stop - start > 1) count++;
        start = stop;
      }
    }
    const starts = new Uint32Array(count);
    const sizes = new Uint32Array(count);
    let b = 0;
    for (let band = 0; band < this.bands; band++) {
      const end = (band + 1) * n;
      for (let start = band * n; start < end; ) {
        let stop = start + 1;
        while (stop < end && sortedKeys[stop] === sortedKeys[start]) stop++;
        if (stop - start > 1) {
          starts[b] = start;
          sizes[b++] = stop - start;
        }
        start = stop;
      }
    }
    new PairSorter(count).sort(sizes, starts, count);
    return { starts, sizes, count };
  }

  // Rows of a bucket in input order. A row not yet joined is checked against one representative per
  // distinct cluster already seen in the bucket, most recent first (so a bucket of m copies costs m
  // comparisons, not m²); a row already joined to an earlier row stands for its cluster, unverified.
  private joinBucket(rowsOf: Uint32Array, start: number, end: number, uf: UnionFind, allowed: number, reps: number[], budget: Uint16Array): void {
    reps.length = 0;
    for (let k = start; k < end; k++) {
      const j = rowsOf[k];
      const rootJ = uf.find(j);
      if (rootJ !== j) {
        let known = false;
        for (let r = reps.length - 1, seen = 0; r >= 0 && seen < MAX_COMPARISONS_PER_BUCKET; r--, seen++) {
          if (uf.find(reps[r]) === rootJ) {
            known = true;
            break;
          }
        }
        if (!known) reps.push(j);
        continue;
      }
      // j is still kept, and every representative is an earlier row: only similarity can join them.
      let placed = false;
      for (let r = reps.length - 1, tries = 0; r >= 0 && tries < MAX_COMPARISONS_PER_BUCKET && budget[j] > 0; r--, tries++) {
        const rep = reps[r];
        this.comparisons++;
        if (this.similarAtLeast(rep, j, allowed)) {
          uf.union(rep, j);
          placed = true;
          break;
        }
        budget[j]--;
      }
      if (!placed) reps.push(j);
    }
  }
}
