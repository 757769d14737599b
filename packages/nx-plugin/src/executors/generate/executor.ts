import type { ExecutorContext } from '@nx/devkit';
import { runGenerate } from '@mcp-forge/core';
import { runOptions, runStage, type StageOptions } from '../../run-stage';

export default async function generateExecutor(options: StageOptions & { dryRun?: boolean }, context: ExecutorContext): Promise<{ success: boolean }> {
  return runStage(() => runGenerate({ ...runOptions(options, context), dryRun: options.dryRun }));
}
