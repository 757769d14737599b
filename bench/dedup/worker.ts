// One measured run in a fresh process: load the texts written by bench.ts, run one implementation,
// print one JSON line (time, memory, recall, false merges). A fresh process per run keeps the peak
// RSS of one implementation from leaking into the other's.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { findNearDuplicates, type NearDuplicateOptions, type NearDuplicateResult } from '../../packages/core/src/dedup/find-near-duplicates';
import { findNearDuplicatesWithPackage } from './minhash-package';

export interface RunResult {
  impl: string;
  rows: number;
  ms: number;
  /** CPU time (user + system) of the dedup call: less sensitive than wall time to a busy machine. */
  cpuMs: number;
  /** RSS after loading the texts, before dedup (MiB). */
  rssBeforeMiB: number;
  /** Peak RSS of the whole process (MiB, getrusage maxrss). */
  peakRssMiB: number;
  clusters: number;
  recall: number;
  /** Rows put in a cluster whose kept row belongs to another family, over all rows. */
  falseMergeRate: number;
  falseMerges: number;
}

export interface DataFiles {
  texts: string;
  truth: string;
}

/** Reads a JSONL file of strings in chunks, so the whole file never sits in memory as one string. */
export function readTexts(path: string): string[] {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 20);
  const texts: string[] = [];
  const decoder = new StringDecoder('utf8'); // a chunk may end inside a multi-byte character
  let rest = '';
  try {
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) {
      const lines = (rest + decoder.write(buf.subarray(0, n))).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line) texts.push(JSON.parse(line) as string);
    }
  } finally {
    closeSync(fd);
  }
  if (rest) texts.push(JSON.parse(rest) as string);
  return texts;
}

function evaluate(result: NearDuplicateResult, family: number[], planted: [number, number][]) {
  const keptOf = (i: number) => (result.duplicateOf[i] < 0 ? i : result.duplicateOf[i]);
  const found = planted.filter(([a, b]) => keptOf(a) === keptOf(b)).length;
  let falseMerges = 0;
  for (let i = 0; i < family.length; i++) if (family[keptOf(i)] !== family[i]) falseMerges++;
  return { recall: found / planted.length, falseMerges, falseMergeRate: falseMerges / family.length };
}

export function runOnce(impl: 'ours' | 'minhash-package', files: DataFiles, opts: NearDuplicateOptions): RunResult {
  const texts = readTexts(files.texts);
  const truth = JSON.parse(readFileSync(files.truth, 'utf8')) as { family: number[]; planted: [number, number][] };
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssBefore = process.memoryUsage().rss;
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const result = impl === 'ours' ? findNearDuplicates(texts, opts) : findNearDuplicatesWithPackage(texts, opts);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  const peak = process.resourceUsage().maxRSS * 1024;
  return {
    impl,
    rows: texts.length,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssBeforeMiB: rssBefore / 2 ** 20,
    peakRssMiB: peak / 2 ** 20,
    clusters: result.clusters,
    ...evaluate(result, truth.family, truth.planted),
  };
}

if (require.main === module) {
  const [impl, texts, truth, optsJson] = process.argv.slice(2);
  const result = runOnce(impl as 'ours' | 'minhash-package', { texts, truth }, JSON.parse(optsJson) as NearDuplicateOptions);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
