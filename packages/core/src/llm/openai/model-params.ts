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

export function modelParams(gen: ForgeConfig['generator'], model: string): ModelParams {
  const params: ModelParams = { model, max_completion_tokens: gen.maxCompletionTokens };
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
