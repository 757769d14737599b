// Locality-sensitive hashing over MinHash signatures: `bands` bands of `rows` values each. Two rows
// become candidates when all values of one band agree; candidates are verified by estimated
// Jaccard (signature agreement) before they are joined. Memory stays lean: every signature lives in
// one growing Uint32Array, and buckets are found by sorting one Float64Array of
// (band hash, row) keys per band instead of keeping millions of JS arrays in a Map.
import { murmur3Blocks } from './hash32';
import { UnionFind } from './union-find';

// Global built-ins read once: inside vm contexts (Jest, sandboxes) every `Math.x` lookup in a hot loop
// goes through the global proxy and runs ~100x slower.
const floor = Math.floor;

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
    // Key = (band hash, row) packed exactly in a double: rows take idxBits bits and the hash keeps
    // at most 53 - idxBits of its bits (dropping bits only adds candidates, which are verified).
    const idxBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
    const hashShift = Math.max(0, 32 - (53 - idxBits));
    const scale = 2 ** idxBits;
    const keys = new Float64Array(n);
    const reps: number[] = [];
    for (let band = 0; band < this.bands; band++) {
      const offset = band * this.rows;
      for (let i = 0; i < n; i++) {
        const h = murmur3Blocks(this.signatures, i * this.numPerm + offset, this.rows, band) >>> hashShift;
        keys[i] = h * scale + i;
      }
      keys.sort();
      let start = 0;
      while (start < n) {
        const bucket = floor(keys[start] / scale);
        let end = start + 1;
        while (end < n && floor(keys[end] / scale) === bucket) end++;
        if (end - start > 1) this.joinBucket(keys, start, end, scale, uf, allowedMismatches, reps);
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
  private joinBucket(keys: Float64Array, start: number, end: number, scale: number, uf: UnionFind, allowed: number, reps: number[]): void {
    reps.length = 0;
    reps.push(keys[start] % scale);
    for (let k = start + 1; k < end; k++) {
      const j = keys[k] % scale;
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
