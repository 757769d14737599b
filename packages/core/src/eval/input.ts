// Where the truth comes from: eval.truth.jsonl (what synthesize writes), a dataset's output directory
// or its forge.yaml directory, or an eval split in one of the training formats (hermes, openai,
// sharegpt: the truth is derived from each row and the tools it carries).
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ForgeError } from '../errors';
import { parseRow } from '../formats';
import { openContext } from '../pipeline';
import { rowToSample } from '../stages/real';
import type { ToolDef } from '../types';
import { readJsonl } from '../util/files';
import { isDict } from './py-value';
import { EVAL_TRUTH_FILE, truthRow } from './truth';
import type { TruthRow } from './types';

export interface TruthSource {
  /** The file the rows were read from. */
  file: string;
  /** Dataset name (the directory the split sits in). */
  dataset: string;
  rows: TruthRow[];
}

const isTruthRow = (v: unknown): v is TruthRow => isDict(v) && Array.isArray(v.turns) && Array.isArray(v.functions) && Array.isArray(v.messages);

async function fromDirectory(dir: string, root: string, env: NodeJS.ProcessEnv): Promise<string> {
  const direct = join(dir, EVAL_TRUTH_FILE);
  if (existsSync(direct)) return direct;
  if (['forge.yaml', 'forge.yml', '.forgerc.yaml', 'forge.config.json'].some((f) => existsSync(join(dir, f)))) {
    const ctx = await openContext({ config: dir, root, env, log: { info: () => undefined, warn: () => undefined, error: () => undefined } });
    const built = join(ctx.outDir, EVAL_TRUTH_FILE);
    if (existsSync(built)) return built;
    throw new ForgeError('INPUT', `${dir} is a dataset, but its eval split has not been built (${built} is missing).`, 'Run `npx nx run <dataset>:synthesize` (or the pipeline) first, then evaluate.');
  }
  throw new ForgeError('INPUT', `${dir} holds no ${EVAL_TRUTH_FILE} and no forge.yaml.`, `Pass the dataset's output directory (where synthesize wrote ${EVAL_TRUTH_FILE}), its forge.yaml directory, or an eval .jsonl file.`);
}

/** Reads the truth rows from a file or directory (see the file comment). */
export async function readTruth(input: string, opts: { root: string; env: NodeJS.ProcessEnv }): Promise<TruthSource> {
  const path = resolve(input);
  if (!existsSync(path)) throw new ForgeError('INPUT', `${input} does not exist.`, 'Pass a dataset directory or an eval .jsonl file.');
  const file = statSync(path).isDirectory() ? await fromDirectory(path, opts.root, opts.env) : path;
  const rows: TruthRow[] = [];
  let n = 0;
  for await (const row of readJsonl<unknown>(file)) {
    n++;
    if (isTruthRow(row)) {
      rows.push(row);
      continue;
    }
    // A row of a training format: its own tools are the offered ones.
    const parsed = parseRow(row);
    if (!parsed.format) throw new ForgeError('INPUT', `${file} line ${n}: neither a truth row nor a row of a known format.`, `Pass ${EVAL_TRUTH_FILE} or an eval split written by synthesize.`);
    const tools: ToolDef[] = parsed.tools.map((t) => ({ name: t.name, serverToolName: t.name, server: 0, description: t.description, inputSchema: t.parameters }));
    const sample = rowToSample(row, n - 1, 'seed', 'eval');
    rows.push(truthRow({ ...sample, tools: tools.length ? tools.map((t) => t.name) : sample.tools }, tools));
  }
  const scored = rows.filter((r) => r.turns.length > 0);
  if (scored.length === 0) throw new ForgeError('INPUT', `${file} has no row with a turn to score (${rows.length} rows).`, 'Check that the eval split is not empty (mix.split.eval in forge.yaml).');
  const dir = dirname(file);
  const dataset = basename(['hermes', 'openai', 'sharegpt', 'hf'].includes(basename(dir)) ? dirname(dir) : dir);
  return { file, dataset, rows: scored };
}
