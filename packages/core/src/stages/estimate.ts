// `--dry-run`: the plan and a cost estimate, without a single request. Request counts follow the
// scenario scripts (one request per user turn, call turn, simulated result and answer); token counts
// are estimated from the tool definitions' size and the reasoning effort.
import type { ForgeConfig } from '../config/types';
import type { LlmProvider } from '../llm/provider';
import type { Scenario } from '../types';
import type { Plan } from './plan';
import { costUsd, priceFor } from '../llm/pricing';
import { augmentationPool, SELECTION_MARGIN } from './augment';
import { augmentationModel } from '../llm/openai/model-params';
import type { ToolDef } from '../types';
import { renderChat } from '../formats/chat-template';
import { toFunctionTool } from '../formats/tools';
import { tokenCount } from '../formats/tokens';

// Tokens of the turns of a row besides the tool list and the tool results (user text, calls, answer),
// by scenario; a scenario not listed counts as `standard`.
const TURN_TOKENS: Record<string, number> = { standard: 150, edge: 160, error: 180, parallel: 260, no_tool: 80, ambiguous: 200, multi_turn: 420 };

/** The dry run's expected row lengths (tokens of a row rendered as ChatML with its tool list). */
export function describeRowLengths(plan: Plan, cfg: ForgeConfig, tools: ToolDef[]): string[] {
  const offered = tools.filter((t) => plan.tools.includes(t.name));
  const list = offered.length ? tokenCount(renderChat({ messages: [], tools: offered.map(toFunctionTool) })) : 0;
  const turns = plan.items.map((i) => TURN_TOKENS[i.scenario] ?? TURN_TOKENS.standard);
  const mean = turns.length ? Math.round(turns.reduce((a, b) => a + b, 0) / turns.length) : 0;
  const longest = Math.max(0, ...turns);
  // Rows offer a subset (tools.offer): the list of a row is about its share of the whole list.
  const sizes = plan.items.map((i) => (i.offered ?? plan.tools).length);
  const widest = Math.max(0, ...sizes);
  const perTool = offered.length ? list / offered.length : 0;
  const subset = widest < offered.length;
  const meanSize = sizes.length ? sizes.reduce((a, b) => a + b, 0) / sizes.length : 0;
  const rowList = subset ? Math.round(perTool * meanSize) : list;
  const widestList = subset ? Math.round(perTool * widest) : list;
  const verdict =
    widestList + longest > cfg.output.maxTokens
      ? `over output.maxTokens (${cfg.output.maxTokens}): such rows will be dropped; offer fewer tools, shorten their descriptions or raise it`
      : `within output.maxTokens (${cfg.output.maxTokens}) before tool results`;
  const listText = subset
    ? `tool list ~${rowList} tokens for the ${meanSize.toFixed(1)} tools a row offers on average (up to ${widest}, tools.offer; all ${offered.length}: ~${list})`
    : `tool list ~${list} tokens when all ${offered.length} tools are offered`;
  return [`Row lengths (expected): ${listText}, + ~${mean} tokens of turns (up to ~${longest}) + the tool results: ~${rowList + mean} tokens a row, ${verdict}.`];
}

const REQUESTS_PER_SAMPLE: Record<Scenario, number> = {
  standard: 4, // user request, call, simulated result (when simulated), answer
  edge: 4,
  error: 4,
  parallel: 5,
  no_tool: 2,
  ambiguous: 4.5, // half of them go on to a call
  multi_turn: 11, // three requests
  multiple: 4,
  parallel_multiple: 6,
  sequential: 6, // two call turns, two results
  irrelevance: 2, // request, decline
};
const REASONING_TOKENS: Record<string, number> = { minimal: 50, low: 300, medium: 1000, high: 3000 };
const AUGMENT_REQUESTS: Record<string, number> = { paraphrase: 1.3, parameter_variation: 4, context: 2, multi_turn: 4 };
/** Of those, the simple ones (paraphrases, simulated results) that go to augmentation.model. */
const SIMPLE_AUGMENT_REQUESTS: Record<string, number> = { paraphrase: 1.3, parameter_variation: 1, context: 0, multi_turn: 1 };

export interface Estimate {
  requests: { generate: number; augment: number; judge: number };
  /** Rows QC sees: seeds plus the augmentation pool. */
  rowsBeforeQc: number;
  /** Rows expected in the final set if QC accepts what is made: seeds plus the augmented rows the cap keeps (mix.real not counted). */
  finalRows: number;
  /** usd / finalRows. */
  usdPerFinalRow: number;
  promptTokens: number;
  completionTokens: number;
  usd: number;
  priced: boolean;
}

export function estimate(plan: Plan, cfg: ForgeConfig): Estimate {
  const gen = plan.items.reduce((n, i) => n + REQUESTS_PER_SAMPLE[i.scenario], 0);
  const weights = Object.entries(cfg.augmentation.strategies);
  const wsum = weights.reduce((s, [, w]) => s + (w ?? 0), 0) || 1;
  const perVariant = weights.reduce((s, [k, w]) => s + ((w ?? 0) / wsum) * (AUGMENT_REQUESTS[k] ?? 2), 0);
  const simplePerVariant = weights.reduce((s, [k, w]) => s + ((w ?? 0) / wsum) * (SIMPLE_AUGMENT_REQUESTS[k] ?? 0), 0);
  const pool = augmentationPool(cfg, plan.items.length);
  const variants = pool.variants;
  const finalRows = plan.items.length + Math.min(variants, pool.keepable);
  const aug = Math.round(variants * perVariant);
  const judge = cfg.judge.enabled ? plan.items.length + variants : 0;
  const promptPer = 1500;
  const completionPer = 250 + (REASONING_TOKENS[cfg.generator.reasoningEffort ?? 'medium'] ?? 1000);
  const genPrice = priceFor(cfg.generator.model, cfg.budget.pricing);
  const judgePrice = priceFor(cfg.judge.model, cfg.budget.pricing);
  const simple = Math.round(variants * simplePerVariant);
  const simplePrice = priceFor(augmentationModel(cfg), cfg.budget.pricing);
  const tokensOf = (n: number) => ({ promptTokens: n * promptPer, cachedTokens: 0, completionTokens: n * completionPer });
  const genTokens = tokensOf(gen + aug - simple);
  const simpleTokens = tokensOf(simple);
  const judgeTokens = { promptTokens: judge * 2000, cachedTokens: 0, completionTokens: judge * completionPer };
  const usd = costUsd(genPrice, genTokens, cfg.generator.batch) + costUsd(simplePrice, simpleTokens, cfg.generator.batch) + costUsd(judgePrice, judgeTokens, cfg.generator.batch);
  return {
    requests: { generate: Math.round(gen), augment: aug, judge },
    rowsBeforeQc: plan.items.length + variants,
    finalRows,
    usdPerFinalRow: finalRows ? usd / finalRows : 0,
    promptTokens: genTokens.promptTokens + simpleTokens.promptTokens + judgeTokens.promptTokens,
    completionTokens: genTokens.completionTokens + simpleTokens.completionTokens + judgeTokens.completionTokens,
    usd,
    priced: !!genPrice && (!simple || !!simplePrice) && (!cfg.judge.enabled || !!judgePrice),
  };
}

function poolText(plan: Plan, cfg: ForgeConfig): string {
  const pool = augmentationPool(cfg, plan.items.length);
  if (pool.explicit) return `augmentation.factor ${pool.factor} (the pool asked for; the cap keeps ${Number.isFinite(pool.keepable) ? pool.keepable : 'all'} augmented rows)`;
  if (!Number.isFinite(pool.keepable)) return `no cap on augmented rows, pool factor ${pool.factor}`;
  return `${pool.variants} variants = the ${pool.keepable} augmented rows the cap keeps x ${SELECTION_MARGIN} (pool factor ${pool.factor.toFixed(2)}; set augmentation.factor for a larger pool)`;
}

export function describePlan(plan: Plan, cfg: ForgeConfig, provider: LlmProvider, tools: ToolDef[] = []): string {
  const byScenario = Object.entries(plan.scenarioCounts).map(([s, n]) => `  ${s.padEnd(11)} ${n}`);
  const perTool = new Map<string, number>();
  for (const i of plan.items) for (const t of new Set(i.targets)) perTool.set(t, (perTool.get(t) ?? 0) + 1);
  const e = estimate(plan, cfg);
  const offline = provider.name === 'offline';
  return [
    `Dry run: ${plan.items.length} seed samples for ${plan.dataset} (provider ${provider.name}, model ${provider.model}); no request was made.`,
    'Scenarios:',
    ...byScenario,
    'Samples per tool:',
    ...[...perTool].map(([t, n]) => `  ${t.padEnd(28)} ${n}`),
    `Augmentation: ${poolText(plan, cfg)}; paraphrases and simulated results by ${augmentationModel(cfg)} -> ${e.rowsBeforeQc} rows before QC; about ${e.finalRows} rows expected in the final set (mix.maxAugmentedShare ${cfg.mix.maxAugmentedShare}${cfg.mix.real.length ? ', plus the mix.real rows' : ''}).`,
    ...(tools.length ? describeRowLengths(plan, cfg, tools) : []),
    offline
      ? 'Estimate: offline provider, 0 requests, $0.00.'
      : `Estimate: ${e.requests.generate} generate + ${e.requests.augment} augment + ${e.requests.judge} judge requests, ~${(e.promptTokens / 1e6).toFixed(2)}M prompt + ~${(e.completionTokens / 1e6).toFixed(2)}M completion tokens, ~$${e.usd.toFixed(2)}${e.priced ? '' : ' (no price known for a model: set budget.pricing)'}${cfg.generator.batch ? ' (Batch API: half price)' : ''}; ~$${e.usdPerFinalRow.toFixed(4)} and ${((e.requests.generate + e.requests.augment + e.requests.judge) / Math.max(1, e.finalRows)).toFixed(1)} requests per final row.`,
    cfg.budget.maxUsd !== undefined ? `Budget: $${cfg.budget.maxUsd.toFixed(2)} (${e.usd <= cfg.budget.maxUsd ? 'within' : 'EXCEEDED by the estimate'}).` : 'Budget: none set.',
  ].join('\n');
}
