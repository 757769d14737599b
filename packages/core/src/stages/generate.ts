// Generate stage: one seed conversation per plan item. Rows that fail the rule checks are kept,
// annotated with their reasons, for the rejected file; only fatal errors (quota, budget) stop it.
import type { ForgeConfig } from '../config/types';
import type { LlmProvider, PlanContext } from '../llm/provider';
import type { Sample, Scenario, ToolDef } from '../types';
import { callsPrimaryTool, planItem, type Plan, type PlanItem } from './plan';
import { executionFor, type LiveTools } from './execute';
import { buildConversation, hintsFor, LiveCallFailed, TooFewParallelCalls, UnlinkedSequence, type RepairStats } from './conversation';
import type { ValuePools } from './harvest';
import { checkSample, UNLINKED_SEQUENCE } from './validate';
import { createRng, seedFrom } from '../util/rng';
import { mapPool } from '../util/pool';
import { ForgeError, stopsBuild } from '../errors';
import type { Logger } from '../util/log';
import { parallelSamples } from '../llm/limiter';
import { batched, conversationDepth, roundBudget, StepBudget } from './round-budget';
import { nameWords } from './tool-roles';

export interface GenerateResult {
  seeds: Sample[];
  rejected: Sample[];
}

export function contextFor(item: PlanItem, tools: Map<string, ToolDef>, offered: ToolDef[], stage = 'generate', pools?: ValuePools, attempt = 0): PlanContext {
  const targets = item.targets.map((n) => {
    const t = tools.get(n);
    if (!t) throw new ForgeError('LOCK', `The plan names tool '${n}', which is not in tools.lock.json.`, 'Run the inspect target again.');
    return t;
  });
  const rng = createRng(attempt ? seedFrom(item.seed, 'hints', attempt) : seedFrom(item.seed, 'hints'));
  return {
    seed: item.seed,
    scenario: item.scenario,
    persona: item.persona,
    style: item.style,
    tools: offered,
    targets,
    argHints: targets.map((t) => hintsFor(t, rng, item.scenario, pools)),
    stage,
  };
}

/**
 * Live calls that fail where a success is wanted, sequences that do not chain and parallel turns with
 * too few calls are retried with other argument values (3 tries, each a new request: the request
 * cache answers a rebuild with the same replies, so the attempts and their outcome are the same).
 */
export async function conversationWithRetries<T>(item: PlanItem, run: (attempt: number) => Promise<T>, attempts = 3, fits: () => boolean = () => true): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run(attempt);
    } catch (err) {
      // In batch mode another attempt is made only while it fits in the chain's round budget.
      if (!retryable(err) || attempt + 1 >= attempts || !fits()) throw err;
    }
  }
}

function retryable(err: unknown): err is LiveCallFailed | UnlinkedSequence | TooFewParallelCalls {
  return err instanceof LiveCallFailed || err instanceof UnlinkedSequence || err instanceof TooFewParallelCalls;
}

/** The tools a row offers (plans written before `offered` existed offered every tool). */
export function offeredOf(item: PlanItem, plan: Plan): string[] {
  return item.offered ?? plan.tools;
}

export function sampleId(dataset: string, item: PlanItem): string {
  return `${dataset}-${item.scenario}-${item.key.slice(0, 10)}`;
}

/** Whether an item failed for its tool's sake (no sequence to chain from it, a live call that fails), not the model's. */
function toolCannotServe(item: PlanItem): boolean {
  const reason = item.reason ?? '';
  return reason.includes(UNLINKED_SEQUENCE) || reason.startsWith('live_call_failed');
}

/** Scenarios every tool can serve with one call: where coverage items go. */
const SINGLE_CALL: readonly Scenario[] = ['standard', 'multiple', 'edge'];

/**
 * The scenario of each of `n` coverage items: each goes where the accepted rows fall furthest below
 * the scenario's planned share of the grown set, so that the extra rows keep the mix (all into
 * `standard`, a few of them would move its share past the tolerance).
 */
export function coverageScenarios(plan: Plan, n: number): Scenario[] {
  const planned = plan.items.filter((i) => i.replaces === undefined).length || 1;
  const accepted = new Map<Scenario, number>();
  for (const i of plan.items) if (i.status === 'done') accepted.set(i.scenario, (accepted.get(i.scenario) ?? 0) + 1);
  let total = [...accepted.values()].reduce((a, b) => a + b, 0);
  const pool = SINGLE_CALL.filter((s) => (plan.scenarioCounts[s] ?? 0) > 0);
  const out: Scenario[] = [];
  for (let k = 0; k < n; k++) {
    total++;
    const deficit = (s: Scenario) => ((plan.scenarioCounts[s] ?? 0) / planned) * total - (accepted.get(s) ?? 0);
    const pick = pool.length ? pool.reduce((best, s) => (deficit(s) > deficit(best) ? s : best)) : 'standard';
    accepted.set(pick, (accepted.get(pick) ?? 0) + 1);
    out.push(pick);
  }
  return out;
}

/**
 * The primary tool of a top-up replacement for `item` in `round`: the same tool in the first round;
 * from the second on (when the tool is already covered, or cannot serve the item) a tool that already
 * served the scenario, else another tool of the rotation. The step along either list comes from the
 * item's own seed, not from its place among the rejected items: another tool's item that now succeeds
 * (or fails) must not move this replacement to another tool (its requests would all be new).
 */
export function topUpPrimary(item: PlanItem, round: number, plan: Plan, byName: Map<string, ToolDef>, rotation: ToolDef[], covered: Set<string>): ToolDef {
  const same = byName.get(item.targets[0]) ?? rotation[0];
  const rotate = round > 1 && rotation.length > 1;
  if (!rotate || (!covered.has(same.name) && !toolCannotServe(item))) return same;
  const served = plan.items.filter((i) => i.status === 'done' && i.scenario === item.scenario).map((i) => i.targets[0]);
  return otherTool(item, round, served, byName, rotation);
}

/** Another primary tool than the item's: one that served its scenario when there is one, else the next ones of the rotation, stepped by the item's own seed. */
function otherTool(item: PlanItem, round: number, served: string[], byName: Map<string, ToolDef>, rotation: ToolDef[], k = 0): ToolDef {
  const same = byName.get(item.targets[0]) ?? rotation[0];
  const step = seedFrom(item.seed, 'top-up-tool', round) + k; // k: the next choice for the next replacement made at once
  const others = [...new Set(served)].filter((n) => n !== same.name && byName.has(n));
  if (others.length) return byName.get(others[step % others.length])!;
  if (rotation.length < 2) return same;
  return rotation[(rotation.indexOf(same) + 1 + (step % (rotation.length - 1))) % rotation.length];
}

/**
 * Batch mode's choice (see chained): the same tool again after a failure of the model's (a refused
 * parallel call) in the first round, or when the tool served its scenario elsewhere; otherwise, or
 * when the tool cannot serve the item (a sequence that does not chain, a live call that fails), the
 * tools of a conversation that served the scenario in its first attempts (`served`, in plan order:
 * for a sequence, a pair that is known to chain), else the next tool of the rotation. `k`: which of
 * the replacements made at once (the k-th next choice from the item's seed).
 */
export function chainTargets(item: PlanItem, round: number, served: string[][], byName: Map<string, ToolDef>, rotation: ToolDef[], k = 0): { first: ToolDef; rest?: ToolDef[] } {
  const same = byName.get(item.targets[0]) ?? rotation[0];
  const cannot = toolCannotServe(item);
  if (!cannot && (round === 1 || served.some((t) => t[0] === same.name))) return { first: same };
  const known = served.filter((t) => t.every((n) => byName.has(n)) && (t[0] !== same.name || !cannot));
  if (known.length) {
    const [first, ...rest] = known[(seedFrom(item.seed, 'top-up-tool', round) + k) % known.length].map((n) => byName.get(n)!);
    return { first, rest };
  }
  // Nothing served the scenario yet: a sequence starts best from a tool that finds things (its
  // result names what the next call takes).
  const finders = item.scenario === 'sequential' ? rotation.filter((t) => t.name !== same.name && nameWords(t.serverToolName || t.name).some((w) => FINDING.has(w))) : [];
  if (finders.length) return { first: finders[(seedFrom(item.seed, 'top-up-tool', round) + k) % finders.length] };
  return { first: otherTool(item, round, [], byName, rotation, k) };
}

const FINDING = new Set(['list', 'search', 'find', 'query', 'browse', 'lookup']);

export interface TopUpReport {
  /** Rounds of replacements run. */
  rounds: number;
  /** Replacement items planned (new seeds, same scenario and tool). */
  replacements: number;
  /** Replacements accepted by the rule checks. */
  recovered: number;
  /** Items still rejected after the last round, by scenario. */
  unmet: Partial<Record<string, number>>;
}

export async function generateSeeds(opts: {
  cfg: ForgeConfig;
  plan: Plan;
  tools: ToolDef[];
  provider: LlmProvider;
  live?: LiveTools;
  pools?: ValuePools;
  log?: Logger;
}): Promise<GenerateResult & { topUp: TopUpReport; repair: RepairStats }> {
  const { cfg, plan, provider, live, log } = opts;
  const byName = new Map(opts.tools.map((t) => [t.name, t]));
  const stats: RepairStats = { repairs: 0, repaired: 0 };
  let done = 0;
  let total = plan.items.length;
  const one = async (item: PlanItem, chain?: StepBudget): Promise<Sample> => {
    const sample: Sample = {
      id: sampleId(plan.dataset, item),
      seedId: sampleId(plan.dataset, item),
      source: 'seed',
      scenario: item.scenario,
      tool_name: callsPrimaryTool(item.scenario) ? item.targets[0] : null,
      tools: offeredOf(item, plan),
      messages: [],
      meta: { provider: provider.name, model: provider.model, seed: item.seed, planKey: item.key, persona: item.persona, style: item.style, targets: item.targets, ...(item.replaces !== undefined ? { replaces: item.replaces } : {}) },
    };
    try {
      const offered = offeredOf(item, plan).map((n) => byName.get(n)).filter((t): t is ToolDef => !!t);
      const asked = chain ? chain.provider(provider) : provider;
      // Batch mode: one attempt; a replacement (new seed) takes the place of a retry (see chained).
      const conv = await conversationWithRetries(
        item,
        (attempt) => buildConversation({ cfg, provider: asked, live, stats }, contextFor(item, byName, offered, 'generate', opts.pools, attempt), item.key, byName),
        chain ? 1 : 3,
      );
      sample.messages = conv.messages;
      sample.meta.execution = conv.execution;
      sample.reasons = checkSample(sample, byName);
    } catch (err) {
      if (stopsBuild(err)) throw err;
      if (err instanceof UnlinkedSequence || err instanceof TooFewParallelCalls) sample.messages = err.messages;
      sample.reasons = [retryable(err) ? err.message : `generation_failed: ${(err as Error).message}`];
    }
    item.status = sample.reasons.length ? (sample.reasons[0].startsWith('generation_failed') ? 'failed' : 'rejected') : 'done';
    if (sample.reasons.length) item.reason = sample.reasons.join('; ');
    log?.progress?.('generate', ++done, total);
    return sample;
  };
  const concurrency = provider.maxParallelSamples ?? parallelSamples(cfg.generator.concurrency);
  const rotation = plan.tools.map((n) => byName.get(n)).filter((t): t is ToolDef => !!t);
  const topUp: TopUpReport = { rounds: 0, replacements: 0, recovered: 0, unmet: {} };
  // A replacement for a rejected item: new seed, same scenario, its tools chosen by topUpPrimary (or chainTargets in batch mode).
  const replacementOf = (item: PlanItem, round: number, first: ToolDef, index: number, rest?: ToolDef[], k = 0): PlanItem => ({
    ...planItem({ cfg, tools: rotation, scenario: item.scenario, first, rest, seed: k ? seedFrom(item.seed, 'top-up', round, k) : seedFrom(item.seed, 'top-up', round), index, provider: plan.provider, model: plan.model, byName, replaces: item.replaces ?? item.index }),
    round,
  });
  const { rows, pending } = batched(provider)
    ? await chained({ plan, one, replacementOf, rotation, byName, topUp, log, topUpAttempts: cfg.generator.topUpAttempts ?? 0, simulated: (n) => !byName.has(n) || executionFor(cfg, byName.get(n)!) !== 'live', grow: (n) => (total += n) })
    : await inRounds();

  // Top-up: every rejected item gets a replacement (new seed, same scenario and primary tool), round
  // after round, until none is rejected or the rounds are spent. Replacements are plan items too, so
  // plan.json records them and a rebuild plans (and caches) exactly the same requests.
  async function inRounds(): Promise<{ rows: Sample[]; pending: PlanItem[] }> {
    const rows = await mapPool(plan.items, concurrency, (item) => one(item));
    let pending = plan.items.filter((i) => i.status !== 'done');
    for (let round = 1; round <= (cfg.generator.topUpAttempts ?? 0) && pending.length; round++) {
      // The same primary tool first. From the second round on another one, so that a tool that cannot
      // serve the scenario (a sequence from a list that is always empty) does not leave it short: a tool
      // that already served the scenario in this build, else the next tools of the rotation. A tool that
      // has no accepted row yet keeps its place while its rows failed for the model's sake (a refused
      // parallel call, arguments still invalid after the repair): moving on would leave it uncovered and
      // cost a `standard` coverage row that shifts the mix.
      const covered = new Set(plan.items.filter((i) => i.status === 'done' && callsPrimaryTool(i.scenario)).map((i) => i.targets[0]));
      const replacements = pending.map((item, k) => replacementOf(item, round, topUpPrimary(item, round, plan, byName, rotation, covered), plan.items.length + k));
      plan.items.push(...replacements);
      total += replacements.length;
      topUp.rounds = round;
      topUp.replacements += replacements.length;
      log?.info(`generate: top-up round ${round}: ${replacements.length} replacement${replacements.length === 1 ? '' : 's'} for rejected items`);
      rows.push(...(await mapPool(replacements, concurrency, (item) => one(item))));
      topUp.recovered += replacements.filter((i) => i.status === 'done').length;
      pending = replacements.filter((i) => i.status !== 'done');
    }
    return { rows, pending };
  }
  // Coverage: a tool none of whose items succeeded (its one planned sequence could not link) gets one
  // single-call item (standard, multiple or edge: every tool can serve them), so that minSamplesPerTool
  // is not lost to one scenario; spread over those scenarios by their planned shares (coverageScenarios).
  // (Covered as QC counts it: as the primary tool of an accepted row.)
  const covered = new Set(plan.items.filter((i) => i.status === 'done' && callsPrimaryTool(i.scenario)).map((i) => i.targets[0]));
  const firstItem = new Map<string, PlanItem>();
  for (const i of plan.items) if (callsPrimaryTool(i.scenario) && !firstItem.has(i.targets[0])) firstItem.set(i.targets[0], i);
  const lost = [...firstItem.values()].filter((i) => !covered.has(i.targets[0]));
  if (lost.length && (cfg.generator.topUpAttempts ?? 0) > 0) {
    const scenarios = coverageScenarios(plan, lost.length);
    const extra = lost.map((item, k): PlanItem => ({
      ...planItem({ cfg, tools: rotation, scenario: scenarios[k], first: byName.get(item.targets[0])!, seed: seedFrom(item.seed, 'coverage'), index: plan.items.length + k, provider: plan.provider, model: plan.model, byName, replaces: item.replaces ?? item.index }),
      round: topUp.rounds + 1,
    }));
    plan.items.push(...extra);
    total += extra.length;
    topUp.replacements += extra.length;
    log?.info(`generate: coverage: ${extra.length} single-call item${extra.length === 1 ? '' : 's'} (${scenarios.join(', ')}) for tools with no accepted sample (${lost.map((i) => i.targets[0]).join(', ')})`);
    rows.push(...(await mapPool(extra, concurrency, (item) => one(item))));
    topUp.recovered += extra.filter((i) => i.status === 'done').length;
  }
  for (const i of pending) topUp.unmet[i.scenario] = (topUp.unmet[i.scenario] ?? 0) + 1;
  // A scenario with no successful item at all (no conversation on this server could chain one result
  // into the next call, say) cannot be in the set: the later stages hand its share to `standard`.
  const served = new Set(plan.items.filter((i) => i.status === 'done').map((i) => i.scenario));
  const unservable = (Object.keys(plan.scenarioCounts) as Scenario[]).filter((sc) => (plan.scenarioCounts[sc] ?? 0) > 0 && !served.has(sc));
  if (unservable.length) {
    plan.unservable = unservable;
    log?.warn(`generate: no ${unservable.join(', ')} conversation succeeded on this server, even after top-up; ${unservable.length === 1 ? 'its share goes' : 'their shares go'} to standard (see generate.rejected.jsonl for why).`);
  }
  plan.topUp = { rounds: topUp.rounds, replacements: topUp.replacements, recovered: topUp.recovered };
  return { seeds: rows.filter((r) => !r.reasons?.length), rejected: rows.filter((r) => r.reasons?.length), topUp, repair: stats };
}

/** Batch mode: replacements made at once for a rejected item (the rounds, not the requests, are what is scarce). */
const REPLACEMENTS_AT_ONCE = 2;
const SPARE = 'top_up_spare: another replacement of the same item was kept';

interface Made {
  item: PlanItem;
  row: Sample;
  /** Which of the replacements made at once. */
  k: number;
}

/**
 * Batch mode: each planned item is a chain (round-budget.ts): its conversation in one attempt, then,
 * while it is rejected, replacements (new seeds, REPLACEMENTS_AT_ONCE of them at once, the first that
 * passes kept) in the rounds that follow, beside the other items' next steps instead of after the
 * whole stage; each only while it fits in the chain's budget (the deepest planned conversation with
 * its repairs), so the stage takes that many rounds at most whatever the samples and failures. A
 * replacement's tools (chainTargets) may depend on which tools served its scenario: it waits until
 * every planned item of the scenario has made its attempt and goes on from the round the deepest of
 * them ended in. That is the same at every build (a rebuild from the cache plans exactly the same
 * requests), unlike what other chains did by some moment. Replacements are numbered and recorded
 * after the chains, ordered by round, replaced item and k, as the rounds of the other mode are.
 * (Coverage items, for a tool with no accepted row at all, still come after the chains: rounds of
 * their own, when there are any.)
 */
async function chained(o: {
  plan: Plan;
  one: (item: PlanItem, chain: StepBudget) => Promise<Sample>;
  replacementOf: (item: PlanItem, round: number, first: ToolDef, index: number, rest?: ToolDef[], k?: number) => PlanItem;
  rotation: ToolDef[];
  byName: Map<string, ToolDef>;
  topUp: TopUpReport;
  topUpAttempts: number;
  /** Whether a tool's results are simulated (each is one more request). */
  simulated: (tool: string) => boolean;
  log?: Logger;
  /** More items for the progress lines. */
  grow: (n: number) => void;
}): Promise<{ rows: Sample[]; pending: PlanItem[] }> {
  const { plan, topUp } = o;
  const depth = (i: PlanItem) => conversationDepth(i.scenario, i.targets, o.simulated);
  const limit = roundBudget(plan.items, o.simulated);
  const deepest = plan.items.reduce((a, i) => Math.max(a, depth(i).requests), 0);
  o.log?.info(`generate: batch rounds bounded by ${limit} (the deepest planned conversation: ${deepest} requests and a repair per call turn); replacements start in the next rounds when they fit`);
  const scenarios = new Map<Scenario, ScenarioGate>();
  for (const item of plan.items) {
    const gate = scenarios.get(item.scenario) ?? scenarioGate();
    gate.left++;
    scenarios.set(item.scenario, gate);
  }
  // Every item at once (a chain waits for the other items of its scenario: with fewer in flight it
  // could wait for one that never starts).
  const chains = await mapPool(plan.items, plan.items.length, async (item) => {
    const chain = new StepBudget(limit);
    const gate = scenarios.get(item.scenario)!;
    let row: Sample;
    try {
      row = await o.one(item, chain);
    } finally {
      gate.settle(chain.used, item.status === 'done' ? item : undefined); // also when the build stops: nobody waits forever
    }
    const made: Made[] = [{ item, row, k: 0 }];
    let last = item;
    for (let round = 1; round <= o.topUpAttempts && last.status !== 'done'; round++) {
      const first = await gate.settled;
      chain.advanceTo(first.steps);
      const tries = Array.from({ length: REPLACEMENTS_AT_ONCE }, (_, k) => {
        const pick = chainTargets(last, round, first.served, o.byName, o.rotation, k);
        return o.replacementOf(last, round, pick.first, -1, pick.rest, k);
      });
      if (!tries.every((t) => chain.fits(depth(t)))) break;
      const branches = tries.map(() => chain.branch());
      o.grow(tries.length);
      const rows = await Promise.all(tries.map((t, k) => o.one(t, branches[k])));
      for (const b of branches) chain.advanceTo(b.used);
      // The first that passed is kept; another that passed too is not needed (it would overfill the scenario).
      const kept = tries.find((t) => t.status === 'done');
      tries.forEach((t, k) => {
        if (t.status === 'done' && t !== kept) {
          t.status = 'rejected';
          t.reason = SPARE;
          rows[k].reasons = [SPARE];
        }
        made.push({ item: t, row: rows[k], k });
      });
      last = kept ?? tries[0];
    }
    return { made, last, steps: chain.used };
  });
  const rows = chains.map((c) => c.made[0].row);
  const replaced = chains.flatMap((c) => c.made.slice(1)).sort((a, b) => (a.item.round ?? 0) - (b.item.round ?? 0) || (a.item.replaces ?? 0) - (b.item.replaces ?? 0) || a.k - b.k);
  for (const r of replaced) {
    r.item.index = plan.items.length;
    plan.items.push(r.item);
    rows.push(r.row);
    topUp.rounds = Math.max(topUp.rounds, r.item.round ?? 0);
    topUp.replacements++;
    if (r.item.status === 'done') topUp.recovered++;
  }
  if (replaced.length) o.log?.info(`generate: ${replaced.length} replacement${replaced.length === 1 ? '' : 's'} for rejected items within the round budget (top-up rounds: ${topUp.rounds})`);
  // Each step of a chain is one batch round: the stage's rounds are its longest chain's steps.
  o.log?.info(`generate: the longest chain took ${chains.reduce((a, c) => Math.max(a, c.steps), 0)} of the ${limit} steps`);
  return { rows, pending: chains.map((c) => c.last).filter((i) => i.status !== 'done') };
}

/** A scenario's planned items after their attempt: the most steps one took, and the targets of those that served it (plan order). */
interface ScenarioGate {
  left: number;
  settle(steps: number, served?: PlanItem): void;
  settled: Promise<{ steps: number; served: string[][] }>;
}

function scenarioGate(): ScenarioGate {
  let steps = 0;
  const served: PlanItem[] = [];
  let open!: (v: { steps: number; served: string[][] }) => void;
  const gate: ScenarioGate = {
    left: 0,
    settled: new Promise((resolve) => (open = resolve)),
    settle(used, item) {
      steps = Math.max(steps, used);
      if (item) served.push(item);
      if (--gate.left === 0) open({ steps, served: served.sort((a, b) => a.index - b.index).map((i) => i.targets) });
    },
  };
  return gate;
}
