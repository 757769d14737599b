// Provider construction: the one place that decides which provider a stage uses.
import type { ForgeConfig, ResolvedProvider } from '../config/types';
import type { LlmProvider } from './provider';
import { OfflineProvider } from './offline/provider';

export interface ProviderOptions {
  cfg: ForgeConfig;
  resolved: ResolvedProvider;
  env: NodeJS.ProcessEnv;
  /** Stage name: part of request-cache keys and prompt_cache_key. */
  stage: string;
  dataset: string;
  root: string;
  /** Model override (the judge uses judge.model). */
  model?: string;
  dryRun?: boolean;
  /** Dollars already spent by earlier stages of this build (budget.maxUsd covers the whole build). */
  spentUsd?: number;
}

export function createProvider(opts: ProviderOptions): LlmProvider {
  if (opts.resolved === 'offline') return new OfflineProvider();
  // Loaded lazily so that offline builds never load the OpenAI SDK.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { OpenAIProvider } = require('./openai/provider') as typeof import('./openai/provider');
  return new OpenAIProvider(opts);
}
