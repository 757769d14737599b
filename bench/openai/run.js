#!/usr/bin/env node
// OpenAI-path throughput benchmark: `node bench/openai/run.js [--requests 300] [--latency-ms 200] [--tpm N]
// [--bucket-ms 1000] [--fault-429 0.2] [--retry-after ms|seconds|none]
// [--rpm 600] [--quantum-ms 1000] [--concurrency 8] [--runs 3]`. Registers the TypeScript loader and
// runs throughput.ts (results: docs/benchmarks.md, "OpenAI path: limit-bound throughput").
require('@swc-node/register');
process.env.FORGE_BENCH_MAIN = '1';
require('./throughput.ts');
