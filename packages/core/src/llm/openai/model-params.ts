// Request parameters per model family. Reasoning models (gpt-5*, o-series) reject temperature/top_p and
// max_tokens with a 400: they get max_completion_tokens and reasoning_effort only. Other chat models
// (gpt-4.1, gpt-4o, gpt-5-chat-latest, local servers' models) get temperature when the config sets it.
import type { ForgeConfig } from '../../config/types';
import { sha256 } from '../../util/hash';

export function isReasoningModel(model: string): boolean {
  const m = model.toLowerCase().replace(/^.*\//, ''); // gateway prefixes like openai/gpt-5
  if (/^gpt-5(\.\d+)?-chat/.test(m)) return false;
  return /^(gpt-5|o\d)/.test(m);
}

export interface ModelParams {
  model: string;
  max_completion_tokens: number;
  reasoning_effort?: 'minimal' | 'low' | 'medium' | 'high';
  temperature?: number;
}

/**
 * Kinds of request, by how much they write: a user turn or a paraphrase is a sentence or two, a
 * simulated result a JSON document, a judge verdict a score and a few reasons.
 */
export type RequestKind = 'user' | 'reply' | 'paraphrase' | 'result' | 'fail' | 'judge' | 'call';

/** Visible output each kind needs at most, in tokens (generous: 3-4x what the replies typically use). */
export const OUTPUT_TOKENS: Record<RequestKind, number> = { user: 400, reply: 800, paraphrase: 400, result: 1500, fail: 600, judge: 600, call: 1000 };
/** Reasoning allowance of reasoning models by reasoning_effort (unset = the model's default, medium). */
export const REASONING_TOKENS = { minimal: 256, low: 1024, medium: 2048, high: 4096 } as const;

/**
 * max_completion_tokens for one kind of request: what it writes plus the reasoning allowance, never
 * above generator.maxCompletionTokens. Every request reserves this much against a TPM limit (OpenAI
 * counts prompt + max_completion_tokens), so a blanket maximum would let far fewer requests run. A
 * reply that still stops at this budget is asked again once with generator.maxCompletionTokens.
 */
export function completionBudget(gen: ForgeConfig['generator'], model: string, kind?: RequestKind): number {
  if (!kind) return gen.maxCompletionTokens;
  const reasoning = isReasoningModel(model) ? REASONING_TOKENS[gen.reasoningEffort ?? 'medium'] : 0;
  return Math.min(gen.maxCompletionTokens, OUTPUT_TOKENS[kind] + reasoning);
}

export function modelParams(gen: ForgeConfig['generator'], model: string, maxCompletionTokens = gen.maxCompletionTokens): ModelParams {
  const params: ModelParams = { model, max_completion_tokens: maxCompletionTokens };
  if (isReasoningModel(model)) {
    if (gen.reasoningEffort) params.reasoning_effort = gen.reasoningEffort;
  } else if (gen.temperature !== undefined) {
    params.temperature = gen.temperature;
  }
  return params;
}

/** `dataset:stage[:part...]`, at most 64 characters (a short hash replaces the tail of longer keys). */
export function promptCacheKey(...parts: string[]): string {
  const key = parts.filter(Boolean).join(':');
  return key.length <= 64 ? key : `${key.slice(0, 55)}~${sha256(key).slice(0, 8)}`;
}

/** Smaller siblings good enough for paraphrases and simulated results (structured outputs keep them valid). */
const SIMPLE_SIBLING: [RegExp, string][] = [
  [/^gpt-5(-\d{4}-\d{2}-\d{2})?$/, 'gpt-5-mini'],
  [/^gpt-4\.1(-\d{4}-\d{2}-\d{2})?$/, 'gpt-4.1-mini'],
  [/^gpt-4o(-\d{4}-\d{2}-\d{2})?$/, 'gpt-4o-mini'],
];

/**
 * The model of the augment stage's simple, high-volume requests (paraphrase, simulated result):
 * augmentation.model, else the smaller sibling of generator.model where one is known (a gateway
 * prefix such as `openai/` is kept), else generator.model itself (a local server's model).
 */
export function augmentationModel(cfg: Pick<ForgeConfig, 'generator' | 'augmentation'>): string {
  if (cfg.augmentation.model) return cfg.augmentation.model;
  const model = cfg.generator.model;
  const slash = model.lastIndexOf('/');
  const prefix = model.slice(0, slash + 1);
  const name = model.slice(slash + 1);
  for (const [re, sibling] of SIMPLE_SIBLING) if (re.test(name.toLowerCase())) return prefix + sibling;
  return model;
}
