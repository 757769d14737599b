// Stable LSD radix sort of (32-bit key, payload) pairs in two 16-bit passes: linear time, where a
// comparison sort of every LSH band would make bucketing O(n log n) and dominate at 200k rows.

export class PairSorter {
  private tmpKeys: Uint32Array;
  private tmpValues: Uint32Array;
  private readonly counts = new Uint32Array(1 << 16);

  constructor(capacity: number) {
    this.tmpKeys = new Uint32Array(capacity);
    this.tmpValues = new Uint32Array(capacity);
  }

  /** Sorts keys[0..n) ascending, moving values along; equal keys keep their input order. */
  sort(keys: Uint32Array, values: Uint32Array, n: number): void {
    if (this.tmpKeys.length < n) {
      this.tmpKeys = new Uint32Array(n);
      this.tmpValues = new Uint32Array(n);
    }
    this.pass(keys, values, this.tmpKeys, this.tmpValues, n, 0);
    this.pass(this.tmpKeys, this.tmpValues, keys, values, n, 16);
  }

  private pass(srcK: Uint32Array, srcV: Uint32Array, dstK: Uint32Array, dstV: Uint32Array, n: number, shift: number): void {
    const counts = this.counts;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(srcK[i] >>> shift) & 0xffff]++;
    let sum = 0;
    for (let b = 0; b < counts.length; b++) {
      const c = counts[b];
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = srcK[i];
      const at = counts[(k >>> shift) & 0xffff]++;
      dstK[at] = k;
      dstV[at] = srcV[i];
    }
  }
}
