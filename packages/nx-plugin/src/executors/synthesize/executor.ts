import type { ExecutorContext } from '@nx/devkit';
import { runSynthesize } from '@mcp-forge/core';
import { runOptions, runStage, type StageOptions } from '../../run-stage';

export default async function synthesizeExecutor(options: StageOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  return runStage(() => runSynthesize(runOptions(options, context)));
}
