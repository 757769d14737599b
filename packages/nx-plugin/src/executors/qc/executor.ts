import type { ExecutorContext } from '@nx/devkit';
import { runQcStage } from '@mcp-forge/core';
import { runOptions, runStage, type StageOptions } from '../../run-stage';

export default async function qcExecutor(options: StageOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  return runStage(() => runQcStage(runOptions(options, context)));
}
