#!/usr/bin/env node
// `mcp-forge qc` benchmark entry: `node bench/qc/run.js [--sizes 100000,200000] [--runs 3]
// [--shapes varied,templated] [--format hermes|openai] [--quality] [--compare-dedup 100000]
// [--dir DIR] [--keep] [--out results.json]`, or `--templated-dedup [--sizes ...]` (dedup alone on
// templated rows). Registers the TypeScript loader, then runs bench.ts (results: docs/benchmarks.md).
require('@swc-node/register');
require('./bench.ts');
