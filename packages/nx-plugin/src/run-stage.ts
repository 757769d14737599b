// The one place where a pipeline error becomes `{ success: false }` and a readable message.
import { logger, type ExecutorContext } from '@nx/devkit';
import { isAbsolute, join } from 'node:path';
import { describeError, type Logger, type RunOptions } from '@mcp-forge/core';

export const nxLog: Logger = {
  info: (m) => logger.info(m),
  warn: (m) => logger.warn(m),
  error: (m) => logger.error(m),
  progress: (() => {
    const last = new Map<string, number>();
    return (label: string, done: number, total: number) => {
      if (!total) return;
      const step = Math.floor((done / total) * 10);
      if (last.get(label) === step && done !== total) return;
      last.set(label, step);
      logger.info(`${label}: ${done}/${total}`);
    };
  })(),
};

export interface StageOptions {
  config: string;
}

export function runOptions(options: StageOptions, context: ExecutorContext): RunOptions {
  return {
    config: isAbsolute(options.config) ? options.config : join(context.root, options.config),
    root: context.root,
    projectName: context.projectName,
    log: nxLog,
  };
}

export async function runStage(fn: () => Promise<unknown>): Promise<{ success: boolean }> {
  try {
    await fn();
    return { success: true };
  } catch (err) {
    logger.error(describeError(err));
    if (process.env.FORGE_DEBUG && err instanceof Error && err.stack) logger.error(err.stack);
    return { success: false };
  }
}
