#!/usr/bin/env node
// Dedup benchmark entry: `node bench/dedup/run.js [--sizes 10000,100000,200000]
// [--package-sizes 10000,100000] [--runs 5] [--package-runs 3] [--configs default,16x8] [--out results.json]`.
// Registers the TypeScript loader, then runs bench.ts (results: docs/benchmarks.md).
require('@swc-node/register');
require('./bench.ts');
