#!/usr/bin/env node
// `npm run bench [-- name ...]`: runs the benchmarks (all, or the ones named) one after another.
// Results and how to read them: docs/benchmarks.md.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const BENCHES = {
  dedup: ['bench/dedup/run.js'],
  qc: ['bench/qc/run.js'],
  openai: ['bench/openai/run.js'],
  startup: ['bench/startup/run.js'],
  pipeline: ['bench/pipeline/run.js'],
  batch: ['bench/batch/run.js'],
  cost: ['bench/cost/run.js'],
};
const root = join(__dirname, '..');
const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(BENCHES);
for (const name of names) {
  const entry = BENCHES[name];
  if (!entry) {
    console.error(`unknown benchmark "${name}"; choose from: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n== bench ${name}: node ${entry.join(' ')}`);
  const r = spawnSync(process.execPath, entry, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
