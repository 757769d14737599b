// The resolved forge.yaml: what the loader returns after validation and defaults.
// The JSON Schema (forge.schema.json beside this file) is the source of truth for the file format.
import type { Scenario } from '../types';

export interface StdioServerConfig {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  project?: string;
  startupTimeoutMs: number;
  callTimeoutMs: number;
  prefix?: string;
  /** Values read from the environment through ${VAR} (set by the loader, non-enumerable): masked in tool output. */
  readonly expandedSecrets?: readonly string[];
}

export interface HttpServerConfig {
  url: string;
  headers: Record<string, string>;
  project?: string;
  startupTimeoutMs: number;
  callTimeoutMs: number;
  prefix?: string;
  /** Values read from the environment through ${VAR} (set by the loader, non-enumerable): masked in tool output. */
  readonly expandedSecrets?: readonly string[];
}

export type ServerConfig = StdioServerConfig | HttpServerConfig;

export type ExecutionMode = 'auto' | 'live' | 'simulated';
export type ProviderName = 'auto' | 'openai' | 'offline';
export type ResolvedProvider = 'openai' | 'offline';
export type OutputFormat = 'hermes' | 'openai' | 'sharegpt' | 'hf';
export type AugmentStrategy = 'paraphrase' | 'parameter_variation' | 'context' | 'multi_turn';

export interface ToolOverride {
  execution?: ExecutionMode;
  weight?: number;
}

export interface ForgeConfig {
  /** Absolute path of the file the config came from (for messages). */
  filepath: string;
  /** Directory of the config file. */
  dir: string;
  name?: string;
  description?: string;
  servers: ServerConfig[];
  tools: {
    include?: string[];
    exclude: string[];
    overrides: Record<string, ToolOverride>;
    /** Tools offered per row: `all`, a count, or a range such as `3-8`. */
    offer?: 'all' | number | string;
  };
  samples: number;
  /** Fractions summing to 1 (multi_turn optional). */
  scenarios: Partial<Record<Scenario, number>>;
  generator: {
    provider: ProviderName;
    model: string;
    baseURL?: string;
    batch: boolean;
    /** Upper bound of requests in flight per endpoint; `auto` = AUTO_CAP (llm/rate-controller.ts). */
    concurrency: number | 'auto';
    reasoningEffort?: 'minimal' | 'low' | 'medium' | 'high';
    temperature?: number;
    maxRetries: number;
    timeoutMs: number;
    maxCompletionTokens: number;
    /** Rounds of replacements for rows rejected in generate. */
    topUpAttempts: number;
    /** One follow-up request that corrects arguments failing schema validation. */
    repair: boolean;
  };
  execution: ExecutionMode;
  augmentation: {
    /** Pool size per seed (seed included) when the user sets it; unset = what the cap keeps x SELECTION_MARGIN (stages/augment.ts). */
    factor?: number;
    /** Model for the augment stage's paraphrases and simulated results (llm/openai/model-params.ts augmentationModel). */
    model?: string;
    strategies: Partial<Record<AugmentStrategy, number>>;
  };
  judge: { enabled: boolean; model: string; minScore: number };
  dedup: { threshold: number; numPerm: number; bands: number; shingle: number };
  thresholds: {
    parseRate: number;
    schemaConformance: number;
    duplicateRatio: number;
    judgeScore: number;
    scenarioTolerance: number;
    minSamplesPerTool: number;
  };
  mix: {
    maxAugmentedShare: number;
    real: { path: string; weight?: number }[];
    split: { eval: number };
  };
  output: { formats: OutputFormat[]; dir?: string; maxTokens: number };
  budget: { maxUsd?: number; pricing: Record<string, { input: number; cachedInput: number; output: number }> };
  seed: number;
}

export function isStdio(s: ServerConfig): s is StdioServerConfig {
  return typeof (s as StdioServerConfig).command === 'string';
}
