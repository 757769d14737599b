// Locality-sensitive hashing over MinHash signatures: `bands` bands of `rows` values each. Two rows
// become candidates when all values of one band agree; candidates are verified by estimated
// Jaccard (signature agreement) before they are joined. Memory stays lean: every signature lives in
// one growing Uint32Array, and buckets are found by radix-sorting (band hash, row) pairs in typed
// arrays, one band at a time, instead of keeping millions of JS arrays in a Map.
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
}

/** A row is compared with at most this many distinct clusters of one bucket (bounds giant buckets). */
const MAX_COMPARISONS_PER_BUCKET = 64;

export class LshIndex {
  readonly bands: number;
  readonly rows: number;
  readonly numPerm: number;
  private signatures: Uint32Array;
  private count = 0;

  constructor(opts: LshOptions) {
    const { bands, rows } = opts;
    if (!Number.isInteger(bands) || bands < 1 || !Number.isInteger(rows) || rows < 1) {
      throw new RangeError(`LSH needs positive integer bands and rows, got bands=${bands} rows=${rows}`);
    }
    this.bands = bands;
    this.rows = rows;
    this.numPerm = bands * rows;
    this.signatures = new Uint32Array(Math.max(1, opts.expectedSize ?? 1024) * this.numPerm);
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

  /** similarity(i, j) >= threshold, stopping as soon as too many positions disagree. */
  private similarAtLeast(i: number, j: number, allowedMismatches: number): boolean {
    const s = this.signatures;
    const n = this.numPerm;
    let misses = 0;
    for (let p = 0, oi = i * n, oj = j * n; p < n; p++) {
      if (s[oi + p] !== s[oj + p] && ++misses > allowedMismatches) return false;
    }
    return true;
  }

  /** Clusters of rows whose estimated Jaccard is >= threshold (single linkage); first row of each kept. */
  cluster(threshold: number): ClusterResult {
    if (!(threshold >= 0 && threshold <= 1)) throw new RangeError(`threshold must be in [0, 1], got ${threshold}`);
    const n = this.count;
    const uf = new UnionFind(n);
    const allowedMismatches = this.numPerm - Math.ceil(threshold * this.numPerm - 1e-9);
    // All band hashes in one row-order pass (sequential over the signature buffer), stored band-major
    // so each band's sort then reads one contiguous slice.
    const bandKeys = new Uint32Array(n * this.bands);
    for (let i = 0; i < n; i++) {
      const base = i * this.numPerm;
      for (let band = 0; band < this.bands; band++) {
        bandKeys[band * n + i] = murmur3Blocks(this.signatures, base + band * this.rows, this.rows, band);
      }
    }
    const rowsOf = new Uint32Array(n);
    const sorter = new PairSorter(n);
    const reps: number[] = [];
    for (let band = 0; band < this.bands; band++) {
      const keys = bandKeys.subarray(band * n, (band + 1) * n);
      for (let i = 0; i < n; i++) rowsOf[i] = i;
      // Rows with equal band hashes become adjacent, in input order (the sort is stable).
      sorter.sort(keys, rowsOf, n);
      let start = 0;
      while (start < n) {
        let end = start + 1;
        while (end < n && keys[end] === keys[start]) end++;
        if (end - start > 1) this.joinBucket(rowsOf, start, end, uf, allowedMismatches, reps);
        start = end;
      }
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
    return { duplicateOf, clusters };
  }

  // Rows of a bucket in input order; each is checked against one representative per distinct
  // cluster already seen in the bucket, so a bucket of m copies costs m comparisons, not m².
  private joinBucket(rowsOf: Uint32Array, start: number, end: number, uf: UnionFind, allowed: number, reps: number[]): void {
    reps.length = 0;
    reps.push(rowsOf[start]);
    for (let k = start + 1; k < end; k++) {
      const j = rowsOf[k];
      const rootJ = uf.find(j);
      let placed = false;
      for (let r = 0; r < reps.length && r < MAX_COMPARISONS_PER_BUCKET; r++) {
        const rep = reps[r];
        if (uf.find(rep) === rootJ || this.similarAtLeast(rep, j, allowed)) {
          uf.union(rep, j);
          placed = true;
          break;
        }
      }
      if (!placed) reps.push(j);
    }
  }
}
