// Generate stage: one seed conversation per plan item. Rows that fail the rule checks are kept,
// annotated with their reasons, for the rejected file; only fatal errors (quota, budget) stop it.
import type { ForgeConfig } from '../config/types';
import type { LlmProvider, PlanContext } from '../llm/provider';
import type { Sample, Scenario, ToolDef } from '../types';
import { callsPrimaryTool, planItem, type Plan, type PlanItem } from './plan';
import type { LiveTools } from './execute';
import { buildConversation, hintsFor, LiveCallFailed, TooFewParallelCalls, UnlinkedSequence, type RepairStats } from './conversation';
import type { ValuePools } from './harvest';
import { checkSample, UNLINKED_SEQUENCE } from './validate';
import { createRng, seedFrom } from '../util/rng';
import { mapPool } from '../util/pool';
import { ForgeError, stopsBuild } from '../errors';
import type { Logger } from '../util/log';
import { parallelSamples } from '../llm/limiter';

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
export async function conversationWithRetries<T>(item: PlanItem, run: (attempt: number) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run(attempt);
    } catch (err) {
      if (!retryable(err) || attempt + 1 >= attempts) throw err;
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
  const step = seedFrom(item.seed, 'top-up-tool', round);
  const served = [...new Set(plan.items.filter((i) => i.status === 'done' && i.scenario === item.scenario).map((i) => i.targets[0]))].filter((n) => n !== same.name && byName.has(n));
  if (served.length) return byName.get(served[step % served.length])!;
  return rotation[(rotation.indexOf(same) + 1 + (step % (rotation.length - 1))) % rotation.length];
}

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
  const one = async (item: PlanItem): Promise<Sample> => {
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
      const conv = await conversationWithRetries(item, (attempt) => buildConversation({ cfg, provider, live, stats }, contextFor(item, byName, offered, 'generate', opts.pools, attempt), item.key, byName));
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
  const rows = await mapPool(plan.items, concurrency, one);

  // Top-up: every rejected item gets a replacement (new seed, same scenario and primary tool), round
  // after round, until none is rejected or the rounds are spent. Replacements are plan items too, so
  // plan.json records them and a rebuild plans (and caches) exactly the same requests.
  const rotation = plan.tools.map((n) => byName.get(n)).filter((t): t is ToolDef => !!t);
  const topUp: TopUpReport = { rounds: 0, replacements: 0, recovered: 0, unmet: {} };
  let pending = plan.items.filter((i) => i.status !== 'done');
  for (let round = 1; round <= (cfg.generator.topUpAttempts ?? 0) && pending.length; round++) {
    // The same primary tool first. From the second round on another one, so that a tool that cannot
    // serve the scenario (a sequence from a list that is always empty) does not leave it short: a tool
    // that already served the scenario in this build, else the next tools of the rotation. A tool that
    // has no accepted row yet keeps its place while its rows failed for the model's sake (a refused
    // parallel call, arguments still invalid after the repair): moving on would leave it uncovered and
    // cost a `standard` coverage row that shifts the mix.
    const covered = new Set(plan.items.filter((i) => i.status === 'done' && callsPrimaryTool(i.scenario)).map((i) => i.targets[0]));
    const primary = (item: PlanItem): ToolDef => topUpPrimary(item, round, plan, byName, rotation, covered);
    const replacements = pending.map((item, k): PlanItem => ({
      ...planItem({ cfg, tools: rotation, scenario: item.scenario, first: primary(item), seed: seedFrom(item.seed, 'top-up', round), index: plan.items.length + k, provider: plan.provider, model: plan.model, byName, replaces: item.replaces ?? item.index }),
      round,
    }));
    plan.items.push(...replacements);
    total += replacements.length;
    topUp.rounds = round;
    topUp.replacements += replacements.length;
    log?.info(`generate: top-up round ${round}: ${replacements.length} replacement${replacements.length === 1 ? '' : 's'} for rejected items`);
    rows.push(...(await mapPool(replacements, concurrency, one)));
    topUp.recovered += replacements.filter((i) => i.status === 'done').length;
    pending = replacements.filter((i) => i.status !== 'done');
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
    rows.push(...(await mapPool(extra, concurrency, one)));
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
