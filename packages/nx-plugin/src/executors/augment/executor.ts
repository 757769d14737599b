import type { ExecutorContext } from '@nx/devkit';
import { runAugment } from '@mcp-forge/core';
import { runOptions, runStage, type StageOptions } from '../../run-stage';

export default async function augmentExecutor(options: StageOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  return runStage(() => runAugment(runOptions(options, context)));
}
