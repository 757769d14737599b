// Test helper: the three datasets of this repository (datasets/weather-dataset, filesystem-dataset,
// memory-dataset) built offline once per test process, in-process through core, with their own
// forge.yaml and servers. The output, lock copy and request cache go to a temporary directory, so the
// checkout is never written. Not part of the library's API.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAll, usableTools } from '../pipeline';
import { readLock } from '../mcp/lock-file';
import { bufferLogger } from '../util/log';
import type { ToolDef } from '../types';
import { REPO, readJsonlFile } from './weather-build';
import type { FormatName } from './types';

export const REPO_DATASETS = ['weather-dataset', 'filesystem-dataset', 'memory-dataset'] as const;
export type RepoDataset = (typeof REPO_DATASETS)[number];

export interface RepoDatasetBuild {
  name: RepoDataset;
  out: string;
  tools: ToolDef[];
  /** Every row of a format, train and eval. */
  rows(format: FormatName): unknown[];
  /** report.json. */
  report: any;
}

const builds = new Map<RepoDataset, Promise<RepoDatasetBuild>>();
let tmp: string | undefined;

/** Builds one repository dataset offline (once per process; later calls share the result). */
export function buildRepoDataset(name: RepoDataset): Promise<RepoDatasetBuild> {
  let b = builds.get(name);
  if (!b) {
    b = build(name);
    builds.set(name, b);
  }
  return b;
}

async function build(name: RepoDataset): Promise<RepoDatasetBuild> {
  tmp ??= mkdtempSync(join(tmpdir(), 'forge-repo-datasets-'));
  const dir = join(REPO, 'datasets', name);
  const work = join(tmp, name);
  mkdirSync(work, { recursive: true });
  const lockPath = join(work, 'tools.lock.json');
  copyFileSync(join(dir, 'tools.lock.json'), lockPath);
  const out = join(work, 'out');
  const log = bufferLogger();
  try {
    await runAll({ config: dir, root: REPO, outDir: out, lockPath, inspect: false, env: { FORGE_CACHE_DIR: join(work, 'cache') }, log });
  } catch (err) {
    throw new Error(`${name} build failed: ${err instanceof Error ? err.message : String(err)}\n${log.lines.join('\n')}`);
  }
  const tools = usableTools(readLock(lockPath).tools);
  return {
    name,
    out,
    tools,
    rows: (format) => [...readJsonlFile(join(out, format, 'train.jsonl')), ...readJsonlFile(join(out, format, 'eval.jsonl'))],
    report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')),
  };
}

/** Removes the temporary builds (afterAll). */
export function cleanupRepoDatasets(): void {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = undefined;
  builds.clear();
}
