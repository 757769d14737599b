// Augment stage: expands the seeds into a pool of variants with the configured strategies (its size:
// augmentationPool below).
// Every augmented row keeps `source: augmented`, the id of its seed and the strategy used; where a
// strategy does not apply to a seed (no arguments to vary, nothing to extend), another one is used and
// the shortfall reason is counted for the report.
import type { AugmentStrategy, ForgeConfig } from '../config/types';
import type { LlmProvider, PlanContext } from '../llm/provider';
import type { Sample, Scenario, ToolDef } from '../types';
import { executionFor, type LiveTools } from './execute';
import { buildConversation, extendConversation, hintsFor, withContext } from './conversation';
import { checkSample } from './validate';
import { apportion, type PlanItem } from './plan';
import { contextFor, conversationWithRetries } from './generate';
import type { ValuePools } from './harvest';
import { LiveCallFailed } from './conversation';
import { createRng, seedFrom } from '../util/rng';
import { fingerprint, sortKeys } from '../util/hash';
import { stopsBuild } from '../errors';
import { shingleHashesScratch, shingles } from '../dedup/shingles';
import { minhashSignature } from '../dedup/minhash';
import { dedupText } from './dedup';
import { mapPool } from '../util/pool';
import type { Logger } from '../util/log';
import { parallelSamples } from '../llm/limiter';
import { batched, conversationDepth, StepBudget, stepsOf, type Depth } from './round-budget';

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
  /** Variants to make when every planned seed is kept (rows before QC = seeds + variants). */
  variants: number;
  /** Rows before QC per seed, the seed included (1 + `perSeed`). */
  factor: number;
  /** Variants per planned seed (a fraction: seeds get floor or ceil of it, see planVariants). */
  perSeed: number;
  /** Augmented rows mix.maxAugmentedShare lets the final set keep (Infinity: no cap). */
  keepable: number;
  /** `augmentation.factor` was set by the user (honoured as the pool size). */
  explicit: boolean;
}

/**
 * How many variants augment makes for `seeds` planned seeds and `realRows` rows from mix.real. The
 * pool is a rate per planned seed (factor - 1 when augmentation.factor is set, else what the cap keeps
 * per base row x SELECTION_MARGIN), so a seed's share never depends on how many other seeds were kept.
 */
export function augmentationPool(cfg: ForgeConfig, seeds: number, realRows = 0): AugmentationPool {
  const share = cfg.mix.maxAugmentedShare;
  const keepable = share >= 1 ? Infinity : Math.floor((share * (seeds + realRows)) / (1 - share) + 1e-9);
  const given = cfg.augmentation.factor;
  const explicit = given !== undefined;
  let perSeed: number;
  if (explicit || !Number.isFinite(keepable)) perSeed = Math.max(0, (given ?? UNCAPPED_FACTOR) - 1);
  else perSeed = seeds ? (SELECTION_MARGIN * share * (seeds + realRows)) / ((1 - share) * seeds) : 0;
  const variants = Math.floor(seeds * perSeed + 1e-9);
  return { variants, factor: explicit ? given! : Math.round((1 + perSeed) * 1000) / 1000, perSeed, keepable, explicit };
}

/** Where each seed sits in the plan: its slot (a top-up replacement takes the slot of the item it replaces). */
export interface PlanSlots {
  /** Items the plan has (the pool is sized for them). */
  count: number;
  /** Plan index by plan key. */
  byKey: Map<string, number>;
}

/** The slot of a seed: meta.replaces for a replacement, else its plan index, else its position. */
function slotOf(seed: Sample, position: number, slots?: PlanSlots): number {
  const replaces = seed.meta?.replaces;
  if (typeof replaces === 'number') return replaces;
  const planned = slots?.byKey.get(String(seed.meta?.planKey));
  return planned ?? position;
}

/**
 * The variants of each seed, per family and independent of the other families: the seed in plan slot
 * k gets floor((k+1) r) - floor(k r) variants, r the pool per planned seed, so every scenario (seeds
 * are planned scenario by scenario) gets its share of a pool smaller than the seeds, and whether
 * another seed was kept, failed or was replaced never changes this seed's variants. Strategies come
 * from one shuffled list apportioned by weight over the whole planned pool, read at the family's
 * own positions (floor(k r) onwards).
 */
export function planVariants(seeds: Sample[], cfg: ForgeConfig, opts: { slots?: PlanSlots; realRows?: number } = {}): Job[] {
  const count = opts.slots?.count ?? seeds.length;
  const pool = augmentationPool(cfg, count, opts.realRows ?? 0);
  const rate = pool.perSeed;
  const perStrategy = apportion(pool.variants, cfg.augmentation.strategies);
  const order: AugmentStrategy[] = [];
  for (const [s, n] of Object.entries(perStrategy) as [AugmentStrategy, number][]) for (let i = 0; i < n; i++) order.push(s);
  createRng(seedFrom(cfg.seed, 'strategies')).shuffle(order);
  if (!order.length) return [];
  const strategyAt = (o: number): AugmentStrategy => order[((o % order.length) + order.length) % order.length];
  const jobs: Job[] = [];
  const at = (k: number) => Math.floor(k * rate + 1e-9);
  seeds.forEach((seed, i) => {
    const k = slotOf(seed, i, opts.slots);
    const first = at(k);
    const n = at(k + 1) - first;
    for (let v = 0; v < n; v++) jobs.push({ seed, variant: v, strategy: strategyAt(first + v) });
  });
  return jobs;
}

/**
 * Batch mode: the rounds a family may take, whatever the seeds and the fallbacks: one request with its
 * call, a repair and the answer (an extension, or a new single-call conversation), and the call's
 * simulated result when a tool's results are simulated.
 */
export function augmentRounds(simulated: boolean): number {
  return stepsOf(conversationDepth('standard', ['t'], () => simulated));
}

/** The requests one variant takes, one after another (paraphrases of all user turns go together). */
function strategyDepth(strategy: AugmentStrategy, seed: Sample, simulated: (tool: string) => boolean): Depth {
  if (strategy === 'paraphrase') return { requests: 1, callTurns: 0 };
  if (strategy === 'context') return { requests: 2, callTurns: 0 };
  if (strategy === 'multi_turn') return conversationDepth('standard', seed.tools, simulated); // one more request on any offered tool
  return conversationDepth(seed.scenario as Scenario, (seed.meta.targets as string[] | undefined) ?? (seed.tool_name ? [seed.tool_name] : seed.tools), simulated);
}

/** Which strategy can really be applied to this seed (and why not the planned one). */
function applicable(strategy: AugmentStrategy, seed: Sample, byName: Map<string, ToolDef>, limit = Infinity, simulated: (tool: string) => boolean = () => false): { strategy: AugmentStrategy; reason?: string } {
  const calls = seed.messages.flatMap((m) => m.tool_calls ?? []);
  const hasCalls = calls.length > 0;
  const variable = calls.some((c) => Object.keys(((byName.get(c.name)?.inputSchema ?? {}) as { properties?: object }).properties ?? {}).length > 0);
  if (strategy === 'parameter_variation' && hasCalls && !variable) return { strategy: 'paraphrase', reason: 'parameter_variation->paraphrase: the tools called take no parameters' };
  const endsWithAnswer = seed.messages[seed.messages.length - 1]?.role === 'assistant' && !seed.messages[seed.messages.length - 1].tool_calls;
  if (strategy === 'parameter_variation' && !hasCalls) return { strategy: 'context', reason: 'parameter_variation->context: no tool call to vary' };
  if (strategy === 'multi_turn' && (!endsWithAnswer || seed.scenario === 'ambiguous' || seed.scenario === 'no_tool' || seed.scenario === 'irrelevance'))
    return { strategy: 'context', reason: `multi_turn->context: ${seed.scenario} sample is not extended` };
  if (strategy === 'parameter_variation' && stepsOf(strategyDepth(strategy, seed, simulated)) > limit)
    return { strategy: 'context', reason: `parameter_variation->context: a ${seed.scenario} conversation is deeper than the batch round budget (${limit})` };
  return { strategy };
}

/**
 * What the family check compares: the distinct word shingles of a sample's dedup text (exact Jaccard)
 * and the MinHash signature QC's near-duplicate pass computes for the same text.
 */
interface FamilyKey {
  set: Set<number>;
  signature: Uint32Array;
}

function familyKey(sample: Sample, dedup: ForgeConfig['dedup']): FamilyKey {
  const text = dedupText(sample);
  return { set: new Set(shingles(text, dedup.shingle)), signature: minhashSignature(shingleHashesScratch(text, dedup.shingle), dedup.numPerm) };
}

function jaccard(a: Set<number>, b: Set<number>): number {
  if (!a.size && !b.size) return 1;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/**
 * Whether QC would call two family members near-duplicates: the exact Jaccard or QC's own MinHash
 * estimate (agreeing signature positions, the rule of dedup/lsh-index.ts) reaches the threshold. The
 * estimate alone decides in QC, and near the threshold it can land on either side of the exact value.
 */
function tooClose(a: FamilyKey, b: FamilyKey, threshold: number): boolean {
  if (jaccard(a.set, b.set) >= threshold) return true;
  const n = Math.min(a.signature.length, b.signature.length);
  let agree = 0;
  for (let i = 0; i < n; i++) if (a.signature[i] === b.signature[i]) agree++;
  return agree >= Math.ceil(threshold * n - 1e-9);
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
  /** The plan's slots (plan.json): each seed's variants depend on its slot alone. Without: seed positions. */
  slots?: PlanSlots;
}): Promise<{ rows: Sample[]; report: AugmentReport }> {
  const { cfg, provider, live, log } = opts;
  const byName = new Map(opts.tools.map((t) => [t.name, t]));
  // Sized for the planned seeds (the rate per seed); what the cap keeps follows the seeds kept.
  const sized = augmentationPool(cfg, opts.slots?.count ?? opts.seeds.length, opts.realRows ?? 0);
  const keepable = augmentationPool(cfg, opts.seeds.length, opts.realRows ?? 0).keepable;
  const jobs = planVariants(opts.seeds, cfg, { slots: opts.slots, realRows: opts.realRows });
  const substitutions: Record<string, number> = {};
  const note = (why: string) => (substitutions[why] = (substitutions[why] ?? 0) + 1);
  const byStrategy: Partial<Record<AugmentStrategy, number>> = {};
  let failed = 0;
  let done = 0;

  const variant = async (job: Job, strategy: AugmentStrategy, attempt: number, chain?: StepBudget): Promise<Sample> => {
    const asked = chain ? chain.provider(provider) : provider;
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
        seed.messages.map(async (m) => (m.role === 'user' && m.content ? { ...m, content: await asked.paraphrase(m.content, vseed, item.style) } : { ...m })),
      );
    } else if (strategy === 'parameter_variation') {
      const depth = strategyDepth(strategy, seed, simulated);
      const conv = await conversationWithRetries(
        item,
        (a) => buildConversation({ cfg, provider: asked, live }, a ? contextFor(item, byName, offered, 'augment', opts.pools, a) : ctx, item.key, byName),
        3,
        () => !chain || chain.fits(depth),
      );
      row.messages = conv.messages;
      row.meta.execution = conv.execution;
    } else if (strategy === 'context') {
      row.messages = await withContext({ cfg, provider: asked, live }, ctx, seed.messages);
    } else {
      const rng = createRng(seedFrom(vseed, 'extend'));
      const next = rng.pick(offered);
      const ctx2: PlanContext = { ...ctx, targets: [next], argHints: [hintsFor(next, rng, 'standard', opts.pools)] };
      const conv = await extendConversation({ cfg, provider: asked, live }, ctx2, item.key, byName, seed.messages);
      row.messages = conv.messages;
      row.meta.execution = { ...(seed.meta.execution ?? {}), ...conv.execution };
    }
    row.reasons = checkSample(row, byName);
    return row;
  };

  // One task per seed family. In batch mode its variants are made in waves: every variant of the
  // family at once, then, in variant order, each is compared with the seed and the siblings kept so far; one that
  // would be a near-duplicate (QC would only drop it) is made again with the next strategy in the
  // next wave. The family is a chain of round-budget.ts: a wave starts where its longest member
  // ended, and a variant (first strategy, retry or fallback) is made only when it fits in
  // augmentRounds(), so the stage takes that many rounds at most, not variants x depth. Without batch
  // mode the variants are made one after another (width 1: the same rule, in order, no budget).
  const families = new Map<Sample, Job[]>();
  for (const job of jobs) {
    const list = families.get(job.seed);
    if (list) list.push(job);
    else families.set(job.seed, [job]);
  }
  const budgeted = batched(provider);
  const simulated = (n: string) => !byName.has(n) || executionFor(cfg, byName.get(n)!) !== 'live';
  const limit = budgeted ? augmentRounds(opts.tools.some((t) => simulated(t.name))) : Infinity;
  let longest = 0; // the most steps a family took (batch mode: the stage's rounds)
  if (budgeted && jobs.length) log?.info(`augment: batch rounds bounded by ${limit} (a variant is at most one request with its calls, a repair and the answer)`);
  const perFamily = await mapPool([...families], provider.maxParallelSamples ?? parallelSamples(cfg.generator.concurrency), async ([seed, famJobs]) => {
    const kept: FamilyKey[] = [familyKey(seed, cfg.dedup)];
    const tasks = famJobs.map((job) => {
      const first = applicable(job.strategy, seed, byName, limit, simulated);
      if (first.reason) note(first.reason);
      const order = [first.strategy, ...FALLBACKS.filter((f) => f !== first.strategy && !applicable(f, seed, byName, limit, simulated).reason)];
      return { job, order, attempt: 0, row: undefined as Sample | undefined, done: false };
    });
    // Waves in batch mode; elsewhere one variant at a time (as many live tool calls in flight as families).
    const width = cfg.generator.batch ? Infinity : 1;
    let steps = 0; // the family's rounds so far (batch mode)
    for (let open = tasks; open.length; open = tasks.filter((t) => !t.done).slice(0, width)) {
      if (open.length > width) open = open.slice(0, width);
      const chains = open.map(() => {
        if (!budgeted) return undefined;
        const chain = new StepBudget(limit);
        chain.advanceTo(steps);
        return chain;
      });
      const made = await Promise.all(
        open.map(async (t, i) => {
          try {
            return await variant(t.job, t.order[t.attempt], t.attempt, chains[i]);
          } catch (err) {
            if (stopsBuild(err)) throw err;
            failed++;
            const reason = err instanceof LiveCallFailed ? err.message : `augmentation_failed: ${(err as Error).message}`;
            return { ...seed, id: `${seed.id}-a${t.job.variant}`, source: 'augmented', messages: seed.messages, meta: { ...seed.meta, strategy: t.order[t.attempt] }, reasons: [reason], failedHere: true } as Sample & { failedHere?: boolean };
          }
        }),
      );
      steps = chains.reduce((max, c) => Math.max(max, c?.used ?? 0), steps);
      open.forEach((t, i) => {
        const row = made[i] as Sample & { failedHere?: boolean };
        const failedHere = row.failedHere;
        delete row.failedHere;
        t.row = row;
        if (failedHere || row.reasons?.length) return void (t.done = true);
        const key = familyKey(row, cfg.dedup);
        if (!kept.some((k) => tooClose(k, key, cfg.dedup.threshold))) {
          kept.push(key);
          return void (t.done = true);
        }
        if (t.attempt + 1 < t.order.length && steps + stepsOf(strategyDepth(t.order[t.attempt + 1], seed, simulated)) <= limit) {
          note(`${t.order[t.attempt]}->${t.order[t.attempt + 1]}: variant too close to its seed family`);
          t.attempt++;
        } else t.done = true; // every strategy tried, or no round left for one: the last variant stands (QC judges it)
      });
    }
    longest = Math.max(longest, steps);
    for (const t of tasks) {
      byStrategy[t.row!.meta.strategy as AugmentStrategy] = (byStrategy[t.row!.meta.strategy as AugmentStrategy] ?? 0) + 1;
      log?.progress?.('augment', ++done, jobs.length);
    }
    return tasks.map((t) => t.row!);
  });
  if (budgeted && jobs.length) log?.info(`augment: the longest family took ${longest} of the ${limit} steps`);
  const rows = perFamily.flat();
  const produced = rows.filter((r) => !r.reasons?.length).length;
  return {
    rows,
    report: {
      seeds: opts.seeds.length,
      factor: sized.factor,
      pool: sized.explicit ? 'factor' : 'cap',
      keepable: Number.isFinite(keepable) ? keepable : null,
      target: jobs.length,
      produced,
      expansion: opts.seeds.length ? (opts.seeds.length + produced) / opts.seeds.length : 0,
      // Sorted: families finish in any order, and the report must not depend on it.
      byStrategy: sortKeys(byStrategy),
      substitutions: sortKeys(substitutions),
      failed,
    },
  };
}
