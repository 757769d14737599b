// Prices in USD per 1M tokens (standard tier). Checked against public price lists in 2026; config
// `budget.pricing` overrides or adds models. Batch requests cost half (OpenAI Batch API discount).
import type { Usage } from '../types';

export interface ModelPrice {
  input: number;
  cachedInput: number;
  output: number;
}

export const DEFAULT_PRICING: Record<string, ModelPrice> = {
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
};

/** Price of a model: config override, exact name, then the longest known prefix (dated snapshots). */
export function priceFor(model: string, overrides: Record<string, ModelPrice> = {}): ModelPrice | undefined {
  if (overrides[model]) return overrides[model];
  if (DEFAULT_PRICING[model]) return DEFAULT_PRICING[model];
  const all = { ...DEFAULT_PRICING, ...overrides };
  const prefix = Object.keys(all).filter((k) => model.startsWith(`${k}-`)).sort((a, b) => b.length - a.length)[0];
  return prefix ? all[prefix] : undefined;
}

/** Dollars for token counts (reasoning tokens are part of completion tokens, billed as output). */
export function costUsd(price: ModelPrice | undefined, u: { promptTokens: number; cachedTokens: number; completionTokens: number }, batch = false): number {
  if (!price) return 0;
  const usd = ((u.promptTokens - u.cachedTokens) * price.input + u.cachedTokens * price.cachedInput + u.completionTokens * price.output) / 1e6;
  return batch ? usd / 2 : usd;
}

export function addUsage(a: Usage, b: Partial<Usage>): Usage {
  return {
    requests: a.requests + (b.requests ?? 0),
    promptTokens: a.promptTokens + (b.promptTokens ?? 0),
    cachedTokens: a.cachedTokens + (b.cachedTokens ?? 0),
    completionTokens: a.completionTokens + (b.completionTokens ?? 0),
    reasoningTokens: a.reasoningTokens + (b.reasoningTokens ?? 0),
    usd: a.usd + (b.usd ?? 0),
    cacheHits: a.cacheHits + (b.cacheHits ?? 0),
  };
}
