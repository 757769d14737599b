// Augment stage: expands the seeds by `augmentation.factor` with the configured strategies.
// Every augmented row keeps `source: augmented`, the id of its seed and the strategy used; where a
// strategy does not apply to a seed (no arguments to vary, nothing to extend), another one is used and
// the shortfall reason is counted for the report.
import type { AugmentStrategy, ForgeConfig } from '../config/types';
import type { LlmProvider, PlanContext } from '../llm/provider';
import type { Sample, Scenario, ToolDef } from '../types';
import type { LiveTools } from './execute';
import { buildConversation, extendConversation, hintsFor, withContext } from './conversation';
import { checkSample } from './validate';
import { apportion, type PlanItem } from './plan';
import { contextFor, conversationWithRetries } from './generate';
import type { ValuePools } from './harvest';
import { LiveCallFailed } from './conversation';
import { createRng, seedFrom } from '../util/rng';
import { fingerprint } from '../util/hash';
import { stopsBuild } from '../errors';
import { shingles } from '../dedup/shingles';
import { dedupText } from './dedup';
import { mapPool } from '../util/pool';
import type { Logger } from '../util/log';

export interface AugmentReport {
  seeds: number;
  factor: number;
  target: number;
  produced: number;
  expansion: number;
  byStrategy: Partial<Record<AugmentStrategy, number>>;
  substitutions: Record<string, number>;
  failed: number;
}

interface Job {
  seed: Sample;
  variant: number;
  strategy: AugmentStrategy;
}

/** Spread `total` variants over the seeds (earlier seeds take the remainder) and the strategies by weight. */
export function planVariants(seeds: Sample[], cfg: ForgeConfig): Job[] {
  const total = Math.max(0, Math.round(seeds.length * cfg.augmentation.factor) - seeds.length);
  const perStrategy = apportion(total, cfg.augmentation.strategies);
  const pool: AugmentStrategy[] = [];
  for (const [s, n] of Object.entries(perStrategy) as [AugmentStrategy, number][]) for (let i = 0; i < n; i++) pool.push(s);
  createRng(seedFrom(cfg.seed, 'strategies')).shuffle(pool);
  const jobs: Job[] = [];
  const base = seeds.length ? Math.floor(total / seeds.length) : 0;
  const extra = seeds.length ? total % seeds.length : 0;
  seeds.forEach((seed, i) => {
    const n = base + (i < extra ? 1 : 0);
    for (let v = 0; v < n; v++) jobs.push({ seed, variant: v, strategy: pool[jobs.length] });
  });
  return jobs;
}

/** Which strategy can really be applied to this seed (and why not the planned one). */
function applicable(strategy: AugmentStrategy, seed: Sample, byName: Map<string, ToolDef>): { strategy: AugmentStrategy; reason?: string } {
  const calls = seed.messages.flatMap((m) => m.tool_calls ?? []);
  const hasCalls = calls.length > 0;
  const variable = calls.some((c) => Object.keys(((byName.get(c.name)?.inputSchema ?? {}) as { properties?: object }).properties ?? {}).length > 0);
  if (strategy === 'parameter_variation' && hasCalls && !variable) return { strategy: 'paraphrase', reason: 'parameter_variation->paraphrase: the tools called take no parameters' };
  const endsWithAnswer = seed.messages[seed.messages.length - 1]?.role === 'assistant' && !seed.messages[seed.messages.length - 1].tool_calls;
  if (strategy === 'parameter_variation' && !hasCalls) return { strategy: 'context', reason: 'parameter_variation->context: no tool call to vary' };
  if (strategy === 'multi_turn' && (!endsWithAnswer || seed.scenario === 'ambiguous' || seed.scenario === 'no_tool' || seed.scenario === 'irrelevance'))
    return { strategy: 'context', reason: `multi_turn->context: ${seed.scenario} sample is not extended` };
  return { strategy };
}

/** Distinct word shingles of a sample's dedup text, for the exact Jaccard against its family. */
function shingleSet(sample: Sample, k: number): Set<number> {
  return new Set(shingles(dedupText(sample), k));
}

function jaccard(a: Set<number>, b: Set<number>): number {
  if (!a.size && !b.size) return 1;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** Strategies to fall back to, in order, when a variant came out too close to its family. */
const FALLBACKS: AugmentStrategy[] = ['parameter_variation', 'context', 'multi_turn', 'paraphrase'];

export async function augmentSeeds(opts: {
  cfg: ForgeConfig;
  seeds: Sample[];
  tools: ToolDef[];
  provider: LlmProvider;
  live?: LiveTools;
  pools?: ValuePools;
  log?: Logger;
}): Promise<{ rows: Sample[]; report: AugmentReport }> {
  const { cfg, provider, live, log } = opts;
  const byName = new Map(opts.tools.map((t) => [t.name, t]));
  const jobs = planVariants(opts.seeds, cfg);
  const substitutions: Record<string, number> = {};
  const note = (why: string) => (substitutions[why] = (substitutions[why] ?? 0) + 1);
  const byStrategy: Partial<Record<AugmentStrategy, number>> = {};
  let failed = 0;
  let done = 0;

  const variant = async (job: Job, strategy: AugmentStrategy, attempt: number): Promise<Sample> => {
    const { seed } = job;
    const vseed = seedFrom(seed.meta.seed, 'augment', job.variant, strategy, attempt);
    const offered = seed.tools.map((n) => byName.get(n)).filter((t): t is ToolDef => !!t);
    const item: PlanItem = {
      index: 0,
      key: fingerprint([seed.meta.planKey, job.variant, strategy, attempt]),
      scenario: seed.scenario as Scenario,
      targets: (seed.meta.targets as string[] | undefined) ?? (seed.tool_name ? [seed.tool_name] : [seed.tools[0]]),
      persona: String(seed.meta.persona ?? ''),
      style: String(seed.meta.style ?? 'polite'),
      seed: vseed,
      status: 'planned',
    };
    const row: Sample = {
      ...seed,
      id: `${seed.id}-a${job.variant}`,
      source: 'augmented',
      messages: [],
      meta: { ...seed.meta, seed: vseed, strategy, planKey: item.key, provider: provider.name, model: provider.model },
      reasons: [],
    };
    const ctx: PlanContext = contextFor(item, byName, offered, 'augment', opts.pools);
    if (strategy === 'paraphrase') {
      row.messages = await Promise.all(
        seed.messages.map(async (m) => (m.role === 'user' && m.content ? { ...m, content: await provider.paraphrase(m.content, vseed, item.style) } : { ...m })),
      );
    } else if (strategy === 'parameter_variation') {
      const conv = await conversationWithRetries(item, (a) =>
        buildConversation({ cfg, provider, live }, a ? contextFor(item, byName, offered, 'augment', opts.pools, a) : ctx, item.key, byName),
      );
      row.messages = conv.messages;
      row.meta.execution = conv.execution;
    } else if (strategy === 'context') {
      row.messages = await withContext({ cfg, provider, live }, ctx, seed.messages);
    } else {
      const rng = createRng(seedFrom(vseed, 'extend'));
      const next = rng.pick(offered);
      const ctx2: PlanContext = { ...ctx, targets: [next], argHints: [hintsFor(next, rng, 'standard', opts.pools)] };
      const conv = await extendConversation({ cfg, provider, live }, ctx2, item.key, byName, seed.messages);
      row.messages = conv.messages;
      row.meta.execution = { ...(seed.meta.execution ?? {}), ...conv.execution };
    }
    row.reasons = checkSample(row, byName);
    return row;
  };

  // One task per seed family: its variants are made in order, so each can be compared with the seed
  // and the siblings kept before it; a variant that would be a near-duplicate is made again with the
  // next strategy (QC would only drop it).
  const families = new Map<Sample, Job[]>();
  for (const job of jobs) families.set(job.seed, [...(families.get(job.seed) ?? []), job]);
  const perFamily = await mapPool([...families], provider.maxParallelSamples ?? cfg.generator.concurrency, async ([seed, famJobs]) => {
    const kept: Set<number>[] = [shingleSet(seed, cfg.dedup.shingle)];
    const out: Sample[] = [];
    for (const job of famJobs) {
      const first = applicable(job.strategy, seed, byName);
      if (first.reason) note(first.reason);
      const order = [first.strategy, ...FALLBACKS.filter((f) => f !== first.strategy && !applicable(f, seed, byName).reason)];
      let row: Sample | undefined;
      for (let attempt = 0; attempt < order.length; attempt++) {
        try {
          row = await variant(job, order[attempt], attempt);
        } catch (err) {
          if (stopsBuild(err)) throw err;
          row = { ...seed, id: `${seed.id}-a${job.variant}`, source: 'augmented', messages: seed.messages, meta: { ...seed.meta, strategy: order[attempt] }, reasons: [err instanceof LiveCallFailed ? err.message : `augmentation_failed: ${(err as Error).message}`] };
          failed++;
          break;
        }
        if (row.reasons?.length) break;
        const set = shingleSet(row, cfg.dedup.shingle);
        if (kept.every((k) => jaccard(k, set) < cfg.dedup.threshold)) {
          kept.push(set);
          break;
        }
        if (attempt + 1 < order.length) note(`${order[attempt]}->${order[attempt + 1]}: variant too close to its seed family`);
      }
      byStrategy[row!.meta.strategy as AugmentStrategy] = (byStrategy[row!.meta.strategy as AugmentStrategy] ?? 0) + 1;
      out.push(row!);
      log?.progress?.('augment', ++done, jobs.length);
    }
    return out;
  });
  const rows = perFamily.flat();
  const produced = rows.filter((r) => !r.reasons?.length).length;
  return {
    rows,
    report: {
      seeds: opts.seeds.length,
      factor: cfg.augmentation.factor,
      target: jobs.length,
      produced,
      expansion: opts.seeds.length ? (opts.seeds.length + produced) / opts.seeds.length : 0,
      byStrategy,
      substitutions,
      failed,
    },
  };
}
