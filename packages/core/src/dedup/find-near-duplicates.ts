// Near-duplicate detection over any stream of texts: shingle → MinHash signature → LSH buckets →
// verified pairs → clusters. Time is linear in the rows (plus the candidate pairs the bands let
// through); memory is one signature buffer of rows × numPerm 32-bit values.
import { ClusterResult, LshIndex } from './lsh-index';
import { DEFAULT_MINHASH_SEED, minhashSignature } from './minhash';
import { shingleHashesScratch } from './shingles';

export interface NearDuplicateOptions {
  /** Estimated Jaccard at or above which two rows are duplicates. */
  threshold: number;
  /** Signature length; must equal bands × rows-per-band. */
  numPerm: number;
  bands: number;
  /** Words per shingle. */
  shingle: number;
  seed?: number;
  /** Number of texts when `texts` is not an array (sizes the signature buffer once). */
  expectedSize?: number;
}

export type NearDuplicateResult = ClusterResult;

/** Checks options up front so a bad config fails with a message that says what to change. */
export function checkNearDuplicateOptions(opts: NearDuplicateOptions): void {
  const { threshold, numPerm, bands, shingle } = opts;
  if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`dedup.threshold must be in (0, 1], got ${threshold}`);
  if (!Number.isInteger(numPerm) || numPerm < 1) throw new RangeError(`dedup.numPerm must be a positive integer, got ${numPerm}`);
  if (!Number.isInteger(bands) || bands < 1 || numPerm % bands !== 0) {
    throw new RangeError(`dedup.bands must divide dedup.numPerm (${numPerm}), got ${bands}; e.g. numPerm 128 with bands 16`);
  }
  if (!Number.isInteger(shingle) || shingle < 1) throw new RangeError(`dedup.shingle must be a positive integer (words), got ${shingle}`);
}

/**
 * Near-duplicate detection fed one text at a time: each text becomes its signature at once, so the
 * texts themselves need not be kept while a dataset streams by.
 */
export class NearDuplicateFinder {
  private readonly index: LshIndex;
  private readonly seed: number;

  constructor(private readonly opts: NearDuplicateOptions) {
    checkNearDuplicateOptions(opts);
    this.seed = opts.seed ?? DEFAULT_MINHASH_SEED;
    this.index = new LshIndex({ bands: opts.bands, rows: opts.numPerm / opts.bands, expectedSize: opts.expectedSize });
  }

  /** Adds a text; returns its index (the position used in the result). */
  add(text: string): number {
    minhashSignature(shingleHashesScratch(text, this.opts.shingle), this.opts.numPerm, this.seed, this.index.reserve());
    return this.index.commit();
  }

  get size(): number {
    return this.index.size;
  }

  /** Clusters everything added so far. */
  result(): NearDuplicateResult {
    return this.index.cluster(this.opts.threshold);
  }
}

/**
 * For every text, -1 when it is kept or the index of the kept row (the first by input order of its
 * cluster) when it is a near-duplicate. Texts with no words share one (empty) signature, so they are
 * duplicates of each other.
 */
export function findNearDuplicates(texts: Iterable<string>, opts: NearDuplicateOptions): NearDuplicateResult {
  const finder = new NearDuplicateFinder({ ...opts, expectedSize: Array.isArray(texts) ? texts.length : opts.expectedSize });
  for (const text of texts) finder.add(text);
  return finder.result();
}
