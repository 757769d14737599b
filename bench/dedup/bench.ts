// Dedup benchmark: our MinHash-LSH against the npm `minhash` package on the same synthetic rows.
// Every measured run is a fresh child process (worker.ts); this file generates the data, runs the
// matrix, and prints medians as a Markdown table (plus raw JSON with --out).
import { spawnSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dedupText } from '../../packages/core/src/stages/dedup';
import { syntheticDataset } from './synthetic';
import { packageExactness } from './exactness';
import type { RunResult } from './worker';

interface Args {
  sizes: number[];
  packageSizes: number[];
  runs: number;
  packageRuns: number;
  configs: string[];
  out?: string;
}

const CONFIGS: Record<string, { threshold: number; numPerm: number; bands: number; shingle: number }> = {
  // The forge.yaml defaults (config/schema): 32 bands of 4 rows.
  default: { threshold: 0.85, numPerm: 128, bands: 32, shingle: 3 },
  // Bands tuned to the 0.85 threshold: (1/16)^(1/8) ≈ 0.71, fewer candidates to verify.
  '16x8': { threshold: 0.85, numPerm: 128, bands: 16, shingle: 3 },
};

function parseArgs(argv: string[]): Args {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = (v: string | undefined, d: number[]) => (v ? v.split(',').map(Number) : d);
  return {
    sizes: list(get('sizes'), [10_000, 100_000, 200_000]),
    packageSizes: list(get('package-sizes'), [10_000, 100_000]),
    runs: Number(get('runs') ?? 5),
    packageRuns: Number(get('package-runs') ?? 3),
    configs: (get('configs') ?? 'default').split(','),
    out: get('out'),
  };
}

function writeData(n: number, dir: string) {
  const data = syntheticDataset(n);
  const texts = join(dir, `texts-${n}.jsonl`);
  const truth = join(dir, `truth-${n}.json`);
  writeFileSync(texts, data.samples.map((s) => JSON.stringify(dedupText(s))).join('\n') + '\n');
  writeFileSync(truth, JSON.stringify({ family: [...data.family], planted: data.planted }));
  const j = [...data.plantedJaccard].sort((a, b) => a - b);
  return { texts, truth, planted: data.planted.length, jaccardMin: j[0], jaccardMedian: j[j.length >> 1] };
}

function runChild(impl: string, files: { texts: string; truth: string }, opts: object): RunResult {
  const worker = join(__dirname, 'worker.ts');
  const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '-r', '@swc-node/register', worker, impl, files.texts, files.truth, JSON.stringify(opts)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`${impl} run failed (exit ${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as RunResult;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const dir = join(tmpdir(), 'mcp-forge-dedup-bench');
  mkdirSync(dir, { recursive: true });
  console.log(`# dedup benchmark — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`);
  const rows: { config: string; impl: string; n: number; runs: RunResult[] }[] = [];
  const sizes = [...new Set([...args.sizes, ...args.packageSizes])].sort((a, b) => a - b);
  for (const n of sizes) {
    const files = writeData(n, dir);
    console.log(`data ${fmt(n)} rows: ${fmt(files.planted)} planted pairs, exact Jaccard min ${files.jaccardMin.toFixed(3)} median ${files.jaccardMedian.toFixed(3)}`);
    for (const config of args.configs) {
      const plan: [string, number][] = [];
      if (args.sizes.includes(n)) plan.push(['ours', args.runs]);
      if (args.packageSizes.includes(n)) plan.push(['minhash-package', args.packageRuns]);
      for (const [impl, count] of plan) {
        const runs: RunResult[] = [];
        for (let r = 0; r < count; r++) {
          const res = runChild(impl, files, CONFIGS[config]);
          console.log(`  ${config} ${impl} run ${r + 1}/${count}: ${fmt(res.ms)} ms (cpu ${fmt(res.cpuMs)} ms), peak ${fmt(res.peakRssMiB)} MiB, recall ${res.recall.toFixed(4)}, false merges ${res.falseMerges}`);
          runs.push(res);
        }
        rows.push({ config, impl, n, runs });
      }
    }
  }
  console.log('\n| config | implementation | rows | median wall ms (min–max, runs) | median CPU ms | ratio to package (wall) | RSS before → peak (MiB) | recall | false merges |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const ms = r.runs.map((x) => x.ms);
    const base = rows.find((b) => b.config === r.config && b.n === r.n && b.impl === 'minhash-package');
    const ratio = base && r.impl === 'ours' ? `${fmt(median(base.runs.map((x) => x.ms)) / median(ms), 1)}× faster` : '—';
    const peak = median(r.runs.map((x) => x.peakRssMiB));
    const before = median(r.runs.map((x) => x.rssBeforeMiB));
    const last = r.runs[r.runs.length - 1];
    console.log(`| ${r.config} | ${r.impl} | ${fmt(r.n)} | ${fmt(median(ms))} (${fmt(Math.min(...ms))}–${fmt(Math.max(...ms))}, ${ms.length}) | ${fmt(median(r.runs.map((x) => x.cpuMs)))} | ${ratio} | ${fmt(before)} → ${fmt(peak)} | ${(last.recall * 100).toFixed(2)}% | ${last.falseMerges} (${(last.falseMergeRate * 100).toFixed(3)}%) |`);
  }
  const exact = packageExactness(join(dir, `texts-${sizes[0]}.jsonl`), 200, CONFIGS.default.numPerm);
  console.log(`\nminhash package arithmetic: ${fmt(exact.differing)} of ${fmt(exact.values)} permuted values (${((exact.differing / exact.values) * 100).toFixed(1)}%) differ from the exact (a*h+b) mod p; products reach 2^${exact.maxProductLog2.toFixed(1)} (doubles are exact below 2^53).`);
  if (args.out) writeFileSync(args.out, JSON.stringify({ node: process.version, cpu: cpus()[0]?.model, rows, exact }, null, 2));
}

main();
