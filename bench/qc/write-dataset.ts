// Writes a planted dataset as JSONL in the Hermes or OpenAI training format (as a dataset made
// elsewhere would arrive at `mcp-forge qc`), the tools.lock.json beside it, and its ground truth.
import { closeSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { toHermes } from '../../packages/core/src/formats/hermes';
import { toOpenAI } from '../../packages/core/src/formats/openai';
import type { Sample } from '../../packages/core/src/types';
import { plantedRows, type Defect, type PlantedOptions, type PlantedRow } from './planted-dataset';
import { WEATHER_TOOLS, weatherLock } from './weather-tools';

export type RowFormat = 'hermes' | 'openai';

export interface Truth {
  ids: string[];
  family: number[];
  /** Row index → the defect planted in it. */
  defects: Record<number, Defect>;
  /** [base, near-duplicate] row indices. */
  planted: [number, number][];
}

export interface WrittenDataset {
  file: string;
  lock: string;
  bytes: number;
  rows: number;
  truth: Truth;
}

/** One JSONL row. OpenAI rows carry `id` and `scenario` beside the format's fields, as many datasets do. */
export function renderRow(sample: Sample, format: RowFormat): unknown {
  if (format === 'hermes') return toHermes(sample, WEATHER_TOOLS);
  return { id: sample.id, scenario: sample.scenario, ...toOpenAI(sample, WEATHER_TOOLS) };
}

/** Writes `<dir>/<name>.jsonl` and `<dir>/tools.lock.json`; `onRow` sees every planted row as written. */
export function writeDataset(dir: string, n: number, format: RowFormat, opts: PlantedOptions = {}, name = `${format}-${n}`, onRow?: (row: PlantedRow, index: number) => void): WrittenDataset {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.jsonl`);
  const lock = join(dir, 'tools.lock.json');
  writeFileSync(lock, `${JSON.stringify(weatherLock(), null, 2)}\n`);
  const truth: Truth = { ids: [], family: [], defects: {}, planted: [] };
  const fd = openSync(file, 'w');
  try {
    let chunk: string[] = [];
    let i = 0;
    for (const row of plantedRows(n, opts)) {
      truth.ids.push(row.sample.id);
      truth.family.push(row.family);
      if (row.defect) truth.defects[i] = row.defect;
      if (row.duplicateOf !== undefined) truth.planted.push([row.duplicateOf, i]);
      onRow?.(row, i);
      chunk.push(JSON.stringify(renderRow(row.sample, format)));
      if (chunk.length === 2000) {
        writeSync(fd, `${chunk.join('\n')}\n`);
        chunk = [];
      }
      i++;
    }
    if (chunk.length) writeSync(fd, `${chunk.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
  return { file, lock, bytes: statSync(file).size, rows: truth.ids.length, truth };
}
