// Disjoint sets over row indices where the root of every set is its smallest index, so "keep the
// first row of each cluster" is just find(i).

export class UnionFind {
  private readonly parent: Int32Array;

  constructor(size: number) {
    this.parent = new Int32Array(size);
    for (let i = 0; i < size; i++) this.parent[i] = i;
  }

  find(i: number): number {
    const p = this.parent;
    while (p[i] !== i) {
      p[i] = p[p[i]]; // path halving keeps trees flat without recursion
      i = p[i];
    }
    return i;
  }

  /** Joins the sets of i and j; returns false when they were already one set. */
  union(i: number, j: number): boolean {
    const ri = this.find(i);
    const rj = this.find(j);
    if (ri === rj) return false;
    if (ri < rj) this.parent[rj] = ri;
    else this.parent[ri] = rj;
    return true;
  }
}
