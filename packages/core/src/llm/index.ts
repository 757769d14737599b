// Provider construction: the one place that decides which provider a stage uses.
import type { ForgeConfig, ResolvedProvider } from '../config/types';
import type { LlmProvider } from './provider';
import { OfflineProvider } from './offline/provider';
// A static import: the Nx executors' TypeScript loader is only active while the executor module
// loads, so a lazy require() of a .ts file at run time would fail inside Nx.
import { OpenAIProvider } from './openai/provider';

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
  return new OpenAIProvider(opts);
}
