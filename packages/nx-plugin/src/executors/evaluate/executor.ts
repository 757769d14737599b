import type { ExecutorContext } from '@nx/devkit';
import { join } from 'node:path';
import { EVAL_TRUTH_FILE, openContext, runEvaluate } from '@mcp-forge/core';
import { nxLog, runOptions, runStage, type StageOptions } from '../../run-stage';

export interface EvaluateExecutorOptions extends StageOptions {
  model?: string;
  compare?: string | string[];
  baseURL?: string;
  concurrency?: number;
}

/** Scores `model` (and `compare`) on the dataset's eval split; eval.json/md/html beside the split. */
export default async function evaluateExecutor(options: EvaluateExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  return runStage(async () => {
    const ctx = await openContext(runOptions(options, context));
    const compare = options.compare === undefined ? [] : Array.isArray(options.compare) ? options.compare : options.compare.split(',');
    await runEvaluate({
      input: join(ctx.outDir, EVAL_TRUTH_FILE),
      models: [options.model ?? '', ...compare],
      baseURL: options.baseURL,
      concurrency: options.concurrency,
      outDir: ctx.outDir,
      env: process.env,
      root: context.root,
      log: nxLog,
    });
  });
}
