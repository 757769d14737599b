import type { ExecutorContext } from '@nx/devkit';
import { runInspect } from '@mcp-forge/core';
import { runOptions, runStage, type StageOptions } from '../../run-stage';

export default async function inspectExecutor(options: StageOptions & { check?: boolean }, context: ExecutorContext): Promise<{ success: boolean }> {
  return runStage(() => runInspect({ ...runOptions(options, context), check: options.check }));
}
