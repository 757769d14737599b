// `evaluate`: the truth rows of a dataset's eval split, each model scored on them, and the reports.
import { dirname, resolve } from 'node:path';
import { ForgeError } from '../errors';
import { readTruth } from './input';
import { evaluateModel, type EndpointOptions } from './runner';
import type { EvalReport } from './types';
import { writeEvalReports } from './write';

export interface EvaluateOptions extends EndpointOptions {
  /** eval.truth.jsonl, a dataset's output or forge.yaml directory, or an eval split in a training format. */
  input: string;
  /** The model, then the ones to compare it with. */
  models: string[];
  /** Where eval.json / eval.md / eval.html go (default: beside the truth file). */
  outDir?: string;
}

export interface EvaluateResult {
  report: EvalReport;
  files: { json: string; md: string; html: string };
}

export async function runEvaluate(opts: EvaluateOptions): Promise<EvaluateResult> {
  const models = [...new Set(opts.models.map((m) => m.trim()).filter(Boolean))];
  if (models.length === 0) throw new ForgeError('INPUT', 'No model to evaluate.', 'Pass --model <name> (the name the endpoint serves, e.g. the one given to vLLM --served-model-name or an Ollama tag).');
  const truth = await readTruth(opts.input, { root: opts.root, env: opts.env });
  const report: EvalReport = { version: 1, dataset: truth.dataset, truthFile: truth.file, rows: truth.rows.length, models: [] };
  for (const model of models) {
    const result = await evaluateModel(truth.rows, model, opts);
    report.models.push(result);
    const cats = Object.entries(result.categories).map(([c, s]) => `${c} ${(s.accuracy * 100).toFixed(1)}%`).join(', ');
    opts.log.info(`evaluate: ${model}: ${(result.overall.accuracy * 100).toFixed(1)}% of ${result.overall.count} rows (${cats}); ${result.usage.requests} requests, ${result.usage.cacheHits} cached`);
  }
  const files = writeEvalReports(report, resolve(opts.outDir ?? dirname(truth.file)));
  opts.log.info(`evaluate: wrote ${files.json}, ${files.md}, ${files.html}`);
  return { report, files };
}
