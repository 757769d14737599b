// MinHash-LSH near-duplicate detection (exact 32-bit arithmetic, typed arrays, near-linear time).
export { fnv1a32, fmix32, murmur3Blocks } from './hash32';
export { normaliseText, wordsOf, shingles, shingleHashesScratch } from './shingles';
export { minhashSignature, signatureSimilarity, permutations, permute, DEFAULT_MINHASH_SEED, type Permutations } from './minhash';
export { LshIndex, type LshOptions, type ClusterResult } from './lsh-index';
export { UnionFind } from './union-find';
export { findNearDuplicates, NearDuplicateFinder, checkNearDuplicateOptions, type NearDuplicateOptions, type NearDuplicateResult } from './find-near-duplicates';
