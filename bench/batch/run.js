#!/usr/bin/env node
// Batch rounds benchmark: `node bench/batch/run.js [--sizes 20,60,200] [--factor N] [--together K] [--verbose] [--keep]`. Registers the
// TypeScript loader and runs rounds.ts (results: docs/benchmarks.md, "Batch mode: rounds per stage").
require('@swc-node/register');
process.env.FORGE_BENCH_MAIN = '1';
require('./rounds.ts');
