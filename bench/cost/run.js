#!/usr/bin/env node
// Requests per final row: `node bench/cost/run.js [--samples 100] [--factors default,10]`. Registers
// the TypeScript loader and runs requests.ts (results: docs/benchmarks.md, "Cost: requests per final row").
require('@swc-node/register');
process.env.FORGE_BENCH_MAIN = '1';
require('./requests.ts');
