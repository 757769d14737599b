#!/usr/bin/env node
// Offline full-pipeline and qc benchmark on the pipeline's own output:
//   node bench/pipeline/run.js [--sizes 1000,10000] [--runs 3] [--factor 10] [--qc-runs 3]
//   node bench/pipeline/run.js --qc-only <build dir> [--qc-runs 3]   (qc alone, on that build's
//     augmented.jsonl, e.g. one kept from `mcp-forge generate --provider offline --samples 10000 --factor 10`)
// For each size, `mcp-forge generate --provider offline --samples N --factor F` on the weather
// dataset (seeds plus augmented rows, every scenario: N x F rows), then `mcp-forge qc` on that build's
// own augmented.jsonl. Reports wall and CPU time (user + system of the child) per run, the median of
// the runs, and the ratio of the largest size to the smallest (results: docs/benchmarks.md, "Offline
// pipeline and qc at 10k / 100k rows").
const { spawnSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, existsSync } = require('node:fs');
const { tmpdir, cpus, loadavg } = require('node:os');
const { join } = require('node:path');
const { parseArgs } = require('node:util');

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'packages/cli/bin/mcp-forge.js');
const CONFIG = join(ROOT, 'datasets/weather-dataset/forge.yaml');
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    runs: { type: 'string', default: '3' },
    'qc-runs': { type: 'string', default: '3' },
    factor: { type: 'string', default: '10' },
    'qc-only': { type: 'string' },
  },
});

function timed(args, dir) {
  const cpuFile = join(dir, `cpu-${Math.random().toString(36).slice(2)}`);
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', join(__dirname, 'cpu-report.js'), CLI, ...args], {
    cwd: dir,
    env: { ...process.env, FORGE_BENCH_CPU_FILE: cpuFile, OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`mcp-forge ${args.join(' ')} exited ${r.status}:\n${(r.stdout + r.stderr).slice(-3000)}`);
  const cpuMs = existsSync(cpuFile) ? Number(readFileSync(cpuFile, 'utf8')) : NaN;
  return { wallMs, cpuMs, out: r.stdout + r.stderr };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;

if (values['qc-only']) {
  const out = values['qc-only'];
  const rows = readFileSync(join(out, 'augmented.jsonl'), 'utf8').split('\n').filter(Boolean).length;
  const qc = [];
  for (let i = 0; i < Number(values['qc-runs']); i++) {
    const dir = mkdtempSync(join(tmpdir(), 'forge-bench-qc-'));
    try {
      const load = loadavg()[0].toFixed(1);
      const q = timed(['qc', join(out, 'augmented.jsonl'), '--tools', join(out, 'tools.lock.json'), '--config', CONFIG, '--out', join(dir, 'qc')], dir);
      qc.push(q);
      console.log(`qc on ${rows} rows run ${i + 1}: ${s(q.wallMs)} wall, ${s(q.cpuMs)} CPU (load average ${load} before, ${loadavg()[0].toFixed(1)} after)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`median qc on ${rows} rows: ${s(median(qc.map((q) => q.wallMs)))} wall / ${s(median(qc.map((q) => q.cpuMs)))} CPU`);
  process.exit(0);
}

const sizes = values.sizes.split(',').map(Number);
const results = [];
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; factor ${values.factor}`);
for (const n of sizes) {
  const gen = [];
  const qc = [];
  for (let i = 0; i < Number(values.runs); i++) {
    const dir = mkdtempSync(join(tmpdir(), 'forge-bench-pipeline-'));
    try {
      const out = join(dir, 'out');
      const g = timed(['generate', '--config', CONFIG, '--provider', 'offline', '--samples', String(n), '--factor', values.factor, '--out', out], dir);
      const rows = readFileSync(join(out, 'augmented.jsonl'), 'utf8').split('\n').filter(Boolean).length;
      gen.push(g);
      console.log(`generate ${n} samples (${rows} rows before QC) run ${i + 1}: ${s(g.wallMs)} wall, ${s(g.cpuMs)} CPU`);
      if (i < Number(values['qc-runs'])) {
        const q = timed(['qc', join(out, 'augmented.jsonl'), '--tools', join(out, 'tools.lock.json'), '--config', CONFIG, '--out', join(dir, 'qc')], dir);
        qc.push(q);
        console.log(`qc on its own augmented.jsonl (${rows} rows) run ${i + 1}: ${s(q.wallMs)} wall, ${s(q.cpuMs)} CPU`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const r = { n, genWall: median(gen.map((g) => g.wallMs)), genCpu: median(gen.map((g) => g.cpuMs)), qcWall: median(qc.map((q) => q.wallMs)), qcCpu: median(qc.map((q) => q.cpuMs)) };
  results.push(r);
  console.log(`median ${n} samples: generate ${s(r.genWall)} wall / ${s(r.genCpu)} CPU; qc ${s(r.qcWall)} wall / ${s(r.qcCpu)} CPU`);
}
if (results.length > 1) {
  const [a, b] = [results[0], results[results.length - 1]];
  console.log(`${b.n} vs ${a.n} samples (${b.n / a.n}x the rows): generate ${(b.genWall / a.genWall).toFixed(2)}x wall, ${(b.genCpu / a.genCpu).toFixed(2)}x CPU (bound 12x); qc ${(b.qcWall / a.qcWall).toFixed(2)}x wall, ${(b.qcCpu / a.qcCpu).toFixed(2)}x CPU`);
}
