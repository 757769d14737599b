// `mcp-forge qc` benchmark: writes planted Hermes (or OpenAI) datasets of 100k and 200k rows, runs the
// real CLI on each in a child process (rule checks + dedup, no judge), and prints wall time, CPU time
// and peak RSS (medians over runs), the 200k/100k ratio and, with --quality, what qc caught.
// Results: docs/benchmarks.md ("mcp-forge qc: 100k and 200k rows").
import { execSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runQcCli, type QcRun } from './measure';
import { scoreQcOutput, type QcQuality } from './quality';
import { writeDataset, type RowFormat, type WrittenDataset } from './write-dataset';
import { compareDedup, type DedupComparison } from './compare-dedup';
import { runTemplatedDedup } from './templated-dedup';

interface Args {
  sizes: number[];
  runs: number;
  shapes: ('varied' | 'templated')[];
  format: RowFormat;
  quality: boolean;
  compareDedup?: number;
  templatedDedup: boolean;
  dir: string;
  keep: boolean;
  out?: string;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const compare = get('compare-dedup');
  return {
    sizes: (get('sizes') ?? '100000,200000').split(',').map(Number),
    runs: Number(get('runs') ?? 3),
    shapes: (get('shapes') ?? 'varied,templated').split(',') as Args['shapes'],
    format: (get('format') ?? 'hermes') as RowFormat,
    quality: argv.includes('--quality'),
    compareDedup: compare ? Number(compare) : undefined,
    templatedDedup: argv.includes('--templated-dedup'),
    dir: get('dir') ?? join(tmpdir(), 'mcp-forge-qc-bench'),
    keep: argv.includes('--keep'),
    out: get('out'),
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const secs = (ms: number) => fmt(ms / 1000, 2);

function machine(): string {
  const sh = (cmd: string) => {
    try {
      return execSync(cmd, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  const model = sh("lscpu | sed -n 's/^Model name:[ \\t]*//p'") || cpus()[0]?.model;
  return `nproc ${sh('nproc')}, ${model}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
}

interface Entry {
  shape: string;
  rows: number;
  bytes: number;
  runs: QcRun[];
  withOut?: QcRun;
  quality?: QcQuality;
}

async function measure(args: Args, shape: Args['shapes'][number], n: number): Promise<Entry> {
  const t0 = Date.now();
  const data: WrittenDataset = writeDataset(args.dir, n, args.format, { shape }, `${args.format}-${shape}-${n}`);
  console.log(`data ${shape} ${fmt(n)} rows: ${fmt(data.bytes / 2 ** 20, 1)} MiB, ${Object.keys(data.truth.defects).length} planted defects, ${data.truth.planted.length} planted near-duplicates (written in ${secs(Date.now() - t0)} s)`);
  const entry: Entry = { shape, rows: n, bytes: data.bytes, runs: [] };
  for (let r = 0; r < args.runs; r++) {
    const run = runQcCli(data.file, data.lock);
    entry.runs.push(run);
    console.log(`  run ${r + 1}/${args.runs}: wall ${secs(run.wallMs)} s, cpu ${run.cpuMs === null ? '?' : secs(run.cpuMs)} s, peak ${run.peakRssMiB === null ? '?' : fmt(run.peakRssMiB)} MiB, exit ${run.exitCode} (load ${loadavg()[0].toFixed(2)})`);
  }
  if (args.quality) {
    const outDir = join(args.dir, `out-${shape}-${n}`);
    entry.withOut = runQcCli(data.file, data.lock, ['--out', outDir]);
    entry.quality = await scoreQcOutput(join(outDir, 'rejected.jsonl'), data.truth);
    const q = entry.quality;
    console.log(`  with --out: wall ${secs(entry.withOut.wallMs)} s, peak ${fmt(entry.withOut.peakRssMiB ?? 0)} MiB; defects caught ${q.defectsCaught}/${q.defects}, clean rows rejected ${q.cleanRejected.length}/${q.cleanRows}, near-duplicates found ${q.plantedFound}/${q.planted} (${(q.recall * 100).toFixed(2)}%), false merges ${q.falseMerges} (${(q.falseMergeRate * 100).toFixed(3)}%)`);
    if (!args.keep) rmSync(outDir, { recursive: true, force: true });
  }
  if (!args.keep) rmSync(data.file, { force: true });
  return entry;
}

function report(args: Args, entries: Entry[], comparison?: DedupComparison[]): void {
  console.log(`\n| shape | rows | file MiB | median wall s (min–max, runs) | median CPU s | peak RSS MiB (max of runs) | exit |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const e of entries) {
    const walls = e.runs.map((r) => r.wallMs);
    const cpu = e.runs.map((r) => r.cpuMs ?? NaN);
    const peak = Math.max(...e.runs.map((r) => r.peakRssMiB ?? NaN));
    console.log(`| ${e.shape} | ${fmt(e.rows)} | ${fmt(e.bytes / 2 ** 20)} | ${secs(median(walls))} (${secs(Math.min(...walls))}–${secs(Math.max(...walls))}, ${walls.length}) | ${secs(median(cpu))} | ${fmt(peak)} | ${e.runs[0].exitCode} |`);
  }
  for (const shape of args.shapes) {
    const sorted = entries.filter((e) => e.shape === shape).sort((a, b) => a.rows - b.rows);
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [sorted[i - 1], sorted[i]];
      const wall = median(b.runs.map((r) => r.wallMs)) / median(a.runs.map((r) => r.wallMs));
      const cpu = median(b.runs.map((r) => r.cpuMs ?? NaN)) / median(a.runs.map((r) => r.cpuMs ?? NaN));
      console.log(`${shape}: ${fmt(b.rows)} / ${fmt(a.rows)} rows = ${wall.toFixed(2)}× wall, ${cpu.toFixed(2)}× CPU`);
    }
  }
  if (entries.some((e) => e.quality)) {
    console.log('\n| shape | rows | qc --out wall s | defects caught | clean rows rejected | near-duplicates found | false merges |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const e of entries) {
      const q = e.quality;
      if (!q || !e.withOut) continue;
      console.log(`| ${e.shape} | ${fmt(e.rows)} | ${secs(e.withOut.wallMs)} | ${q.defectsCaught} / ${q.defects} | ${q.cleanRejected.length} / ${fmt(q.cleanRows)} | ${q.plantedFound} / ${q.planted} (${(q.recall * 100).toFixed(2)}%) | ${q.falseMerges} (${(q.falseMergeRate * 100).toFixed(3)}%) |`);
    }
  }
  if (comparison?.length) {
    console.log('\n| dedup on the same rows | shape | texts | wall ms | peak RSS MiB | recall | false merges |');
    console.log('|---|---|---:|---:|---:|---:|---:|');
    for (const c of comparison) console.log(`| ${c.impl} | ${c.shape} | ${fmt(c.rows)} | ${fmt(c.ms)} | ${fmt(c.peakRssMiB)} | ${(c.recall * 100).toFixed(2)}% | ${c.falseMerges} |`);
  }
}

function templatedDedup(args: Args): void {
  console.log(`# dedup on templated rows (124 templates + random suffix) — ${machine()}`);
  console.log('| rows | suffix words | signatures ms | cluster ms (CPU) | verifications | duplicates found | planted near-duplicates found |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of args.sizes) {
    for (const suffix of [1, 2, 3]) {
      const r = runTemplatedDedup(n, suffix);
      console.log(`| ${fmt(n)} | ${suffix} | ${fmt(r.signatureMs)} | ${fmt(r.clusterMs)} (${fmt(r.clusterCpuMs)}) | ${fmt(r.comparisons)} | ${fmt(r.duplicates)} | ${fmt(r.recall * r.planted)} / ${fmt(r.planted)} (${(r.recall * 100).toFixed(2)}%) |`);
    }
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  mkdirSync(args.dir, { recursive: true });
  if (args.templatedDedup) return templatedDedup(args);
  console.log(`# mcp-forge qc benchmark — ${machine()}`);
  console.log(`command per run: node packages/cli/bin/mcp-forge.js qc <${args.format} file> --tools <dir>/tools.lock.json (cwd: repo root)`);
  const entries: Entry[] = [];
  for (const shape of args.shapes) for (const n of args.sizes) entries.push(await measure(args, shape, n));
  const comparison = args.compareDedup ? args.shapes.flatMap((shape) => compareDedup(args.dir, args.compareDedup!, shape)) : undefined;
  console.log(`\nload average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  report(args, entries, comparison);
  if (args.out) writeFileSync(args.out, JSON.stringify({ machine: machine(), entries: entries.map((e) => ({ ...e, runs: e.runs.map(({ stdout: _s, ...r }) => r), withOut: undefined })), comparison }, null, 2));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
