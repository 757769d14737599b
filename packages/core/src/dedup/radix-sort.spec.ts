import { PairSorter } from './radix-sort';
import { createRng } from '../util/rng';

describe('PairSorter', () => {
  it('sorts 32-bit keys like a comparison sort and keeps equal keys in input order', () => {
    const rng = createRng(3);
    const n = 5000;
    const keys = new Uint32Array(n);
    const values = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      keys[i] = rng.bool(0.3) ? rng.int(0, 20) : rng.seed(); // many ties, and keys above 2^31
      values[i] = i;
    }
    const expected = [...keys].map((k, i) => [k, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    new PairSorter(16).sort(keys, values, n); // capacity grows on demand
    expect([...keys]).toEqual(expected.map((e) => e[0]));
    expect([...values]).toEqual(expected.map((e) => e[1]));
  });

  it('sorts only the first n pairs', () => {
    const keys = Uint32Array.from([3, 1, 2, 0]);
    const values = Uint32Array.from([0, 1, 2, 3]);
    new PairSorter(4).sort(keys, values, 3);
    expect([...keys]).toEqual([1, 2, 3, 0]);
    expect([...values]).toEqual([1, 2, 0, 3]);
  });
});
