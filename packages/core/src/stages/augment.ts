// Augment stage: expands the seeds into a pool of variants with the configured strategies (its size:
// augmentationPool below).
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
import { parallelSamples } from '../llm/limiter';

export interface AugmentReport {
  seeds: number;
  /** Pool factor used: augmentation.factor when set, else the cap's (augmentationPool). */
  factor: number;
  /** `factor`: the pool the user set; `cap`: sized by mix.maxAugmentedShare x SELECTION_MARGIN. */
  pool: 'factor' | 'cap';
  /** Augmented rows the final set can keep (null: no cap). */
  keepable: number | null;
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

/**
 * With `augmentation.factor` unset, augment makes this many times the augmented rows the final set can
 * keep: mix.maxAugmentedShare caps them at share / (1 - share) per base row (seeds and real rows), and
 * the margin leaves room for QC rejections and near-duplicates and for choosing the best-scored,
 * most diverse variants. At the default share 0.3 that is 0.43 kept and 0.64 made per seed (a pool
 * factor of about 1.64), where a fixed factor 10 made 9 and threw 8.6 away, paying for each.
 */
export const SELECTION_MARGIN = 1.5;
/** Pool factor when nothing caps the augmented rows (mix.maxAugmentedShare 1) and factor is unset. */
export const UNCAPPED_FACTOR = 10;

export interface AugmentationPool {
  /** Variants to make (rows before QC = seeds + variants). */
  variants: number;
  /** Rows before QC per seed, the seed included. */
  factor: number;
  /** Augmented rows mix.maxAugmentedShare lets the final set keep (Infinity: no cap). */
  keepable: number;
  /** `augmentation.factor` was set by the user (honoured as the pool size). */
  explicit: boolean;
}

/** How many variants augment makes for `seeds` seeds and `realRows` rows from mix.real. */
export function augmentationPool(cfg: ForgeConfig, seeds: number, realRows = 0): AugmentationPool {
  const share = cfg.mix.maxAugmentedShare;
  const keepable = share >= 1 ? Infinity : Math.floor((share * (seeds + realRows)) / (1 - share) + 1e-9);
  const given = cfg.augmentation.factor;
  if (given !== undefined || !Number.isFinite(keepable)) {
    const factor = given ?? UNCAPPED_FACTOR;
    return { variants: Math.max(0, Math.round(seeds * factor) - seeds), factor, keepable, explicit: given !== undefined };
  }
  const variants = Math.ceil(keepable * SELECTION_MARGIN);
  return { variants, factor: seeds ? (seeds + variants) / seeds : 1, keepable, explicit: false };
}

/**
 * Spread `total` variants over the seeds and the strategies by weight. The remainder goes to seeds at
 * an even stride, so every scenario (seeds are planned scenario by scenario) gets its share of a pool
 * smaller than the seeds.
 */
export function planVariants(seeds: Sample[], cfg: ForgeConfig, total = augmentationPool(cfg, seeds.length).variants): Job[] {
  const perStrategy = apportion(total, cfg.augmentation.strategies);
  const pool: AugmentStrategy[] = [];
  for (const [s, n] of Object.entries(perStrategy) as [AugmentStrategy, number][]) for (let i = 0; i < n; i++) pool.push(s);
  createRng(seedFrom(cfg.seed, 'strategies')).shuffle(pool);
  const jobs: Job[] = [];
  const base = seeds.length ? Math.floor(total / seeds.length) : 0;
  const extra = seeds.length ? total % seeds.length : 0;
  const n0 = seeds.length;
  seeds.forEach((seed, i) => {
    const n = base + (Math.floor(((i + 1) * extra) / n0) > Math.floor((i * extra) / n0) ? 1 : 0);
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
  /** Rows mix.real adds to the final set (they make room for more augmented rows). */
  realRows?: number;
}): Promise<{ rows: Sample[]; report: AugmentReport }> {
  const { cfg, provider, live, log } = opts;
  const byName = new Map(opts.tools.map((t) => [t.name, t]));
  const sized = augmentationPool(cfg, opts.seeds.length, opts.realRows ?? 0);
  const jobs = planVariants(opts.seeds, cfg, sized.variants);
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

  // One task per seed family. In batch mode its variants are made in waves: every variant of the
  // family at once, then, in variant order, each is compared with the seed and the siblings kept so far; one that
  // would be a near-duplicate (QC would only drop it) is made again with the next strategy in the
  // next wave. So a stage needs as many model rounds as one variant's conversation is deep (times
  // the rare fallback waves), not variants x depth: one batch per conversational step. Without batch
  // mode the variants are made one after another (width 1: the same rule, in order).
  const families = new Map<Sample, Job[]>();
  for (const job of jobs) {
    const list = families.get(job.seed);
    if (list) list.push(job);
    else families.set(job.seed, [job]);
  }
  const perFamily = await mapPool([...families], provider.maxParallelSamples ?? parallelSamples(cfg.generator.concurrency), async ([seed, famJobs]) => {
    const kept: Set<number>[] = [shingleSet(seed, cfg.dedup.shingle)];
    const tasks = famJobs.map((job) => {
      const first = applicable(job.strategy, seed, byName);
      if (first.reason) note(first.reason);
      const order = [first.strategy, ...FALLBACKS.filter((f) => f !== first.strategy && !applicable(f, seed, byName).reason)];
      return { job, order, attempt: 0, row: undefined as Sample | undefined, done: false };
    });
    // Waves in batch mode; elsewhere one variant at a time (as many live tool calls in flight as families).
    const width = cfg.generator.batch ? Infinity : 1;
    for (let open = tasks; open.length; open = tasks.filter((t) => !t.done).slice(0, width)) {
      if (open.length > width) open = open.slice(0, width);
      const made = await Promise.all(
        open.map(async (t) => {
          try {
            return await variant(t.job, t.order[t.attempt], t.attempt);
          } catch (err) {
            if (stopsBuild(err)) throw err;
            failed++;
            const reason = err instanceof LiveCallFailed ? err.message : `augmentation_failed: ${(err as Error).message}`;
            return { ...seed, id: `${seed.id}-a${t.job.variant}`, source: 'augmented', messages: seed.messages, meta: { ...seed.meta, strategy: t.order[t.attempt] }, reasons: [reason], failedHere: true } as Sample & { failedHere?: boolean };
          }
        }),
      );
      open.forEach((t, i) => {
        const row = made[i] as Sample & { failedHere?: boolean };
        const failedHere = row.failedHere;
        delete row.failedHere;
        t.row = row;
        if (failedHere || row.reasons?.length) return void (t.done = true);
        const set = shingleSet(row, cfg.dedup.shingle);
        if (kept.every((k) => jaccard(k, set) < cfg.dedup.threshold)) {
          kept.push(set);
          return void (t.done = true);
        }
        if (t.attempt + 1 < t.order.length) {
          note(`${t.order[t.attempt]}->${t.order[t.attempt + 1]}: variant too close to its seed family`);
          t.attempt++;
        } else t.done = true; // every strategy tried: the last variant stands (QC judges it)
      });
    }
    for (const t of tasks) {
      byStrategy[t.row!.meta.strategy as AugmentStrategy] = (byStrategy[t.row!.meta.strategy as AugmentStrategy] ?? 0) + 1;
      log?.progress?.('augment', ++done, jobs.length);
    }
    return tasks.map((t) => t.row!);
  });
  const rows = perFamily.flat();
  const produced = rows.filter((r) => !r.reasons?.length).length;
  return {
    rows,
    report: {
      seeds: opts.seeds.length,
      factor: Math.round(sized.factor * 1000) / 1000,
      pool: sized.explicit ? 'factor' : 'cap',
      keepable: Number.isFinite(sized.keepable) ? sized.keepable : null,
      target: jobs.length,
      produced,
      expansion: opts.seeds.length ? (opts.seeds.length + produced) / opts.seeds.length : 0,
      // Sorted: families finish in any order, and the report must not depend on it.
      byStrategy: sortedKeys(byStrategy),
      substitutions: sortedKeys(substitutions),
      failed,
    },
  };
}

function sortedKeys<T>(map: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
