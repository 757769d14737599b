// Dedup side by side on the qc benchmark's own rows: the dedup texts of the rows qc would dedup
// (every row without a planted defect), run through bench/dedup/worker.ts in fresh processes with
// our MinHash-LSH and with the npm `minhash` package (forge.yaml default dedup settings).
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { dedupText } from '../../packages/core/src/stages/dedup';
import { plantedRows } from './planted-dataset';
import type { RunResult } from '../dedup/worker';

export interface DedupComparison extends RunResult {
  shape: string;
}

const DEFAULTS = { threshold: 0.85, numPerm: 128, bands: 32, shingle: 3 };

export function compareDedup(dir: string, n: number, shape: 'varied' | 'templated'): DedupComparison[] {
  const texts = join(dir, `dedup-texts-${shape}-${n}.jsonl`);
  const truthFile = join(dir, `dedup-truth-${shape}-${n}.json`);
  const family: number[] = [];
  const planted: [number, number][] = [];
  const at = new Map<number, number>(); // row index → text index
  const fd = openSync(texts, 'w');
  let r = 0;
  for (const row of plantedRows(n, { shape })) {
    if (!row.defect) {
      at.set(r, family.length);
      if (row.duplicateOf !== undefined && at.has(row.duplicateOf)) planted.push([at.get(row.duplicateOf)!, family.length]);
      family.push(row.family);
      writeSync(fd, `${JSON.stringify(dedupText(row.sample))}\n`);
    }
    r++;
  }
  closeSync(fd);
  writeFileSync(truthFile, JSON.stringify({ family, planted }));
  const worker = join(__dirname, '../dedup/worker.ts');
  return (['ours', 'minhash-package'] as const).map((impl) => {
    const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '-r', '@swc-node/register', worker, impl, texts, truthFile, JSON.stringify(DEFAULTS)], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`${impl} dedup run failed (exit ${child.status}): ${child.stderr}`);
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as RunResult;
    console.log(`  dedup ${shape} ${impl}: ${Math.round(result.ms)} ms, peak ${Math.round(result.peakRssMiB)} MiB, recall ${(result.recall * 100).toFixed(2)}%, false merges ${result.falseMerges}`);
    return { ...result, shape };
  });
}
