// The synthesis plan: every sample to produce, decided up front and deterministically from the
// config and the tool list. Each item's key is a content fingerprint of everything that shapes its
// requests (scenario, persona, seed, the target tools' full definitions, provider and model), so a
// change to one tool's schema changes only the keys of the items about that tool.
import type { ForgeConfig, ResolvedProvider } from '../config/types';
import type { Scenario, ToolDef } from '../types';
import { fingerprint } from '../util/hash';
import { createRng, seedFrom, type Rng } from '../util/rng';
import { couldAnswer, dependentPair, topicWords } from './tool-roles';
import { ForgeError } from '../errors';
import { checkToolReferences } from './tool-references';

export const PERSONAS = [
  'a busy project manager', 'a curious student', 'a retired engineer', 'a travel blogger',
  'a data analyst', 'a small-business owner', 'a nurse on night shifts', 'a software developer',
  'a high-school teacher', 'a logistics coordinator', 'a journalist on deadline', 'a parent planning a weekend',
];
export const STYLES = ['concise', 'polite', 'casual', 'detailed', 'terse', 'friendly'];

export type PlanStatus = 'planned' | 'done' | 'rejected' | 'failed';

export interface PlanItem {
  index: number;
  key: string;
  scenario: Scenario;
  /** Tools the sample is about (parallel: two or more; no_tool: the topic tool, never called). */
  targets: string[];
  persona: string;
  style: string;
  seed: number;
  /** Tools the row offers: the targets plus distractors (irrelevance: no tool that could answer). */
  offered?: string[];
  status: PlanStatus;
  reason?: string;
  /** Top-up: the index of the rejected item this one replaces. */
  replaces?: number;
  /** Top-up: the round that planned this replacement (the last round may take another primary tool). */
  round?: number;
}

export interface Plan {
  dataset: string;
  provider: ResolvedProvider;
  model: string;
  seed: number;
  samples: number;
  scenarioCounts: Partial<Record<Scenario, number>>;
  tools: string[];
  items: PlanItem[];
  /** Top-up: replacement items generated for rejected ones, and the rounds spent. */
  topUp?: { rounds: number; replacements: number; recovered: number };
  /** Scenarios of which no item succeeded even after top-up (the server cannot serve them). */
  unservable?: Scenario[];
}

/** Split `total` by fractions with the largest-remainder method (counts sum exactly to total). */
export function apportion<K extends string>(total: number, fractions: Partial<Record<K, number>>): Partial<Record<K, number>> {
  const keys = (Object.keys(fractions) as K[]).filter((k) => (fractions[k] ?? 0) > 0);
  const sum = keys.reduce((s, k) => s + (fractions[k] ?? 0), 0);
  const exact = keys.map((k) => ((fractions[k] ?? 0) / sum) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = keys.map((_, i) => i).sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b);
  for (const i of order) {
    if (left <= 0) break;
    counts[i]++;
    left--;
  }
  const out: Partial<Record<K, number>> = {};
  keys.forEach((k, i) => (out[k] = counts[i]));
  return out;
}

/** Scenarios that need two or more tools, and the scenario their share goes to when fewer are selected. */
const NEEDS_TWO_TOOLS: Partial<Record<Scenario, Scenario>> = { multiple: 'standard', parallel_multiple: 'parallel' };

/**
 * The scenario mix a tool list can serve: with a single tool there is nothing to choose among
 * (`multiple`) and no second tool to call (`parallel_multiple`), so their shares go to `standard` and
 * `parallel`. The plan's counts carry it, and the mix and the gate read those (pipeline.ts applyServedMix).
 */
export function feasibleScenarios(scenarios: Partial<Record<Scenario, number>>, toolCount: number): Partial<Record<Scenario, number>> {
  if (toolCount >= 2) return scenarios;
  const out = { ...scenarios };
  for (const [from, into] of Object.entries(NEEDS_TWO_TOOLS) as [Scenario, Scenario][]) {
    if (!out[from]) continue;
    out[into] = (out[into] ?? 0) + out[from]!;
    delete out[from];
  }
  return out;
}

/** Tools selected by include/exclude (glob `*`) with their weights. */
export function selectTools(cfg: ForgeConfig, tools: ToolDef[]): ToolDef[] {
  const match = (pattern: string, name: string) =>
    new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(name);
  const selected = tools.filter(
    (t) => (!cfg.tools.include || cfg.tools.include.some((p) => match(p, t.name))) && !cfg.tools.exclude.some((p) => match(p, t.name)),
  );
  if (selected.length === 0) {
    throw new ForgeError('CONFIG', `No tools left after tools.include/exclude (the server lists ${tools.length}: ${tools.map((t) => t.name).join(', ') || 'none'}).`, 'Check tools.include and tools.exclude in forge.yaml.');
  }
  checkToolReferences(cfg, tools, match);
  return selected;
}

/** Smooth weighted round-robin: a deterministic sequence in which each tool appears in proportion to its weight. */
function weightedSequence(tools: ToolDef[], weights: number[], n: number): ToolDef[] {
  const current = weights.map(() => 0);
  const total = weights.reduce((a, b) => a + b, 0);
  const seq: ToolDef[] = [];
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 0; j < tools.length; j++) {
      current[j] += weights[j];
      if (current[j] > current[best]) best = j;
    }
    current[best] -= total;
    seq.push(tools[best]);
  }
  return seq;
}

/** Raise every tool to `min` appearances (when `seq` is long enough), taking slots from the most over-represented tools. */
function ensureMinimum(seq: ToolDef[], tools: ToolDef[], weights: number[], min: number): ToolDef[] {
  if (min <= 0 || seq.length < tools.length * min) return seq;
  const out = [...seq];
  const count = new Map(tools.map((t) => [t.name, 0]));
  for (const t of out) count.set(t.name, (count.get(t.name) ?? 0) + 1);
  const weight = new Map(tools.map((t, i) => [t.name, weights[i] || 1]));
  for (const t of tools) {
    while ((count.get(t.name) ?? 0) < min) {
      let donor: string | undefined;
      for (const [name, n] of count) if (n > min && (!donor || n / weight.get(name)! > count.get(donor)! / weight.get(donor)!)) donor = name;
      if (!donor) return out;
      const at = out.map((x) => x.name).lastIndexOf(donor);
      out[at] = t;
      count.set(donor, count.get(donor)! - 1);
      count.set(t.name, (count.get(t.name) ?? 0) + 1);
    }
  }
  return out;
}

/** Scenarios whose rows call their primary tool (and count for it in `minSamplesPerTool`). */
export const CALLING_SCENARIOS: readonly Scenario[] = ['standard', 'multiple', 'parallel', 'parallel_multiple', 'error', 'ambiguous', 'edge', 'sequential', 'multi_turn'];

export function callsPrimaryTool(scenario: Scenario): boolean {
  return CALLING_SCENARIOS.includes(scenario);
}

function callingCount(counts: Partial<Record<Scenario, number>>): number {
  return (Object.entries(counts) as [Scenario, number][]).filter(([s]) => callsPrimaryTool(s)).reduce((a, [, n]) => a + n, 0);
}

/** The smallest `samples` whose calling rows give every tool `min` rows (null when the mix has no calling scenario). */
export function minimumSamples(cfg: ForgeConfig, toolCount: number, min = cfg.thresholds.minSamplesPerTool): number | null {
  const need = toolCount * min;
  if (need <= 0) return 0;
  if (callingCount(apportion(1000, cfg.scenarios)) === 0) return null;
  for (let n = need; n < need * 100 + 100; n++) if (callingCount(apportion(n, cfg.scenarios)) >= need) return n;
  return null;
}

/** `tools.offer` as a [min, max] count of offered tools (`all`: every selected tool). */
export function offerRange(offer: ForgeConfig['tools']['offer'], total: number): [number, number] {
  if (offer === undefined || offer === 'all') return [total, total];
  if (typeof offer === 'number') return [Math.min(offer, total), Math.min(offer, total)];
  const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(String(offer));
  if (!m) {
    const n = Number(offer);
    return Number.isInteger(n) && n > 0 ? [Math.min(n, total), Math.min(n, total)] : [total, total];
  }
  const lo = Math.min(Number(m[1]), Number(m[2]));
  const hi = Math.max(Number(m[1]), Number(m[2]));
  return [Math.min(lo, total), Math.min(hi, total)];
}

/**
 * The tools a row offers: its targets plus distractors, drawn deterministically from the same server
 * first, then the others, in the lock's order. Irrelevance rows offer none of the tools that could
 * answer (the target or a tool about the same subject).
 */
export function offeredTools(scenario: Scenario, targets: ToolDef[], tools: ToolDef[], cfg: ForgeConfig, rng: Rng): string[] {
  const [lo, hi] = offerRange(cfg.tools.offer, tools.length);
  const irrelevance = scenario === 'irrelevance';
  const fixed = irrelevance ? [] : targets;
  let k = rng.int(lo, hi);
  if (scenario === 'multiple') k = Math.max(k, Math.min(tools.length, Math.max(2, fixed.length + 1)));
  const taken = new Set(fixed.map((t) => t.name));
  let pool = tools.filter((t) => !taken.has(t.name));
  if (irrelevance) {
    const unrelated = pool.filter((t) => !targets.some((x) => couldAnswer(x, t)));
    pool = unrelated.length ? unrelated : pool.filter((t) => !targets.some((x) => x.name === t.name));
    k = Math.max(1, Math.min(k, pool.length));
  }
  const servers = new Set(targets.map((t) => t.server));
  const same = rng.shuffle(pool.filter((t) => servers.has(t.server)));
  const others = rng.shuffle(pool.filter((t) => !servers.has(t.server)));
  const chosen = new Set([...taken, ...[...same, ...others].slice(0, Math.max(0, k - taken.size)).map((t) => t.name)]);
  return tools.filter((t) => chosen.has(t.name)).map((t) => t.name);
}

/** Order of the items of every scenario interleaved by position (a rotation spread over all scenarios). */
function interleave(counts: [Scenario, number][]): [Scenario, number][] {
  const slots: { s: Scenario; i: number; pos: number; order: number }[] = [];
  counts.forEach(([s, n], order) => {
    for (let i = 0; i < n; i++) slots.push({ s, i, pos: (i + 0.5) / n, order });
  });
  slots.sort((a, b) => a.pos - b.pos || a.order - b.order);
  return slots.map((x) => [x.s, x.i]);
}

/** The extra targets of a scenario after the primary tool (parallel, sequential, multi_turn). */
function moreTargets(scenario: Scenario, first: ToolDef, tools: ToolDef[], rng: Rng): ToolDef[] {
  const others = tools.filter((t) => t.name !== first.name);
  const hasParams = (t: ToolDef) => Object.keys(((t.inputSchema as { properties?: object }) ?? {}).properties ?? {}).length > 0;
  switch (scenario) {
    case 'parallel': {
      // The same tool with other values (BFCL parallel); a tool without parameters cannot vary, so a second tool.
      if (!hasParams(first) && others.length) return [rng.pick(others)];
      return rng.bool(0.25) ? [first, first] : [first];
    }
    case 'parallel_multiple': {
      const independent = others.filter((t) => !dependentPair(first, t));
      if (!independent.length) return [first];
      const second = rng.pick(independent);
      const third = independent.filter((t) => t.name !== second.name && !dependentPair(second, t));
      return third.length && rng.bool(0.25) ? [second, rng.pick(third)] : [second];
    }
    case 'sequential': {
      // The second call takes a value from the first one's result: it needs a parameter to take it,
      // and a string one (names, ids) links best.
      const takesString = (t: ToolDef) => Object.values(((t.inputSchema as { properties?: Record<string, { type?: unknown }> }) ?? {}).properties ?? {}).some((p) => p?.type === 'string');
      const takers = others.filter(takesString);
      // Best: a tool whose parameters name what the first one is about (create_event -> get_event's event_id).
      const about = topicWords(first);
      const params = (t: ToolDef) => Object.keys(((t.inputSchema as { properties?: object }) ?? {}).properties ?? {}).flatMap((k) => k.toLowerCase().split(/[_\W]+/));
      const linked = takers.filter((t) => params(t).some((w) => about.has(w) || about.has(w.replace(/s$/, ''))) || [...topicWords(t)].some((w) => about.has(w)));
      // ...and that needs an id the first call does not already take (so it must come from its result).
      const own = new Set(Object.keys(((first.inputSchema as { properties?: object }) ?? {}).properties ?? {}));
      const needsId = (t: ToolDef) => Object.keys(((t.inputSchema as { properties?: object }) ?? {}).properties ?? {}).some((k) => /(^|_)id$/i.test(k) && !own.has(k));
      const fresh = linked.filter(needsId);
      const fallback = others.filter((t) => hasParams(t));
      if (fresh.length) return [rng.pick(fresh)];
      return [linked.length ? rng.pick(linked) : takers.length ? rng.pick(takers) : fallback.length ? rng.pick(fallback) : first];
    }
    case 'multi_turn': {
      // Three requests in a row, each about one tool (a simulated user over three turns).
      const pick = () => (others.length && rng.bool(0.7) ? rng.pick(others) : first);
      return [pick(), pick()];
    }
    default:
      return [];
  }
}

export function buildPlan(opts: { dataset: string; cfg: ForgeConfig; tools: ToolDef[]; provider: ResolvedProvider; model: string }): Plan {
  const { cfg, provider, model } = opts;
  const tools = selectTools(cfg, opts.tools);
  const weights = tools.map((t) => cfg.tools.overrides[t.name]?.weight ?? 1);
  const counts = apportion(cfg.samples, feasibleScenarios(cfg.scenarios, tools.length));
  const entries = (Object.keys(counts) as Scenario[]).map((s) => [s, counts[s] ?? 0] as [Scenario, number]);
  const minPer = cfg.thresholds.minSamplesPerTool;
  const calling = callingCount(counts);
  if (minPer > 0 && calling < tools.length * minPer) {
    const least = minimumSamples(cfg, tools.length, minPer);
    throw new ForgeError(
      'CONFIG',
      `samples: ${cfg.samples} is too small for ${tools.length} tools: the scenario mix plans ${calling} rows that call a tool, and thresholds.minSamplesPerTool (${minPer}) needs ${tools.length * minPer}.${least ? ` The smallest samples that covers every tool is ${least}.` : ''}`,
      `Set samples to at least ${least ?? tools.length * minPer} (--samples on the command line), select fewer tools with tools.include/exclude, or lower thresholds.minSamplesPerTool. Nothing was generated.`,
    );
  }
  // One rotation over every calling row of every scenario (interleaved), so that all tools are planned.
  const callOrder = interleave(entries.filter(([s]) => callsPrimaryTool(s)));
  const callSeq = ensureMinimum(weightedSequence(tools, weights, callOrder.length), tools, weights, minPer);
  const topicOrder = interleave(entries.filter(([s]) => !callsPrimaryTool(s)));
  const topicSeq = weightedSequence([...tools].reverse(), [...weights].reverse(), topicOrder.length);
  const primary = new Map<string, ToolDef>();
  callOrder.forEach(([s, i], k) => primary.set(`${s}#${i}`, callSeq[k]));
  topicOrder.forEach(([s, i], k) => primary.set(`${s}#${i}`, topicSeq[k]));

  const byName = new Map(tools.map((t) => [t.name, t]));
  const items: PlanItem[] = [];
  for (const [scenario, n] of entries) {
    for (let i = 0; i < n; i++) {
      const seed = seedFrom(cfg.seed, scenario, i);
      items.push(planItem({ cfg, tools, scenario, first: primary.get(`${scenario}#${i}`)!, seed, index: items.length, provider, model, byName }));
    }
  }
  return { dataset: opts.dataset, provider, model, seed: cfg.seed, samples: cfg.samples, scenarioCounts: counts, tools: tools.map((t) => t.name), items };
}

/** One plan item: targets, offered tools, persona and style from its seed; the key fingerprints all of it. */
export function planItem(o: { cfg: ForgeConfig; tools: ToolDef[]; scenario: Scenario; first: ToolDef; seed: number; index: number; provider: ResolvedProvider; model: string; byName: Map<string, ToolDef>; replaces?: number; rest?: ToolDef[] }): PlanItem {
  const { cfg, scenario, first, seed, provider, model } = o;
  const rng = createRng(seed);
  // `rest`: the other targets given (a replacement taking the tools of a conversation that served its scenario).
  const more = moreTargets(scenario, first, o.tools, rng);
  const targets = [first, ...(o.rest ?? more)];
  const persona = rng.pick(PERSONAS);
  const style = rng.pick(STYLES);
  const offered = offeredTools(scenario, targets, o.tools, cfg, createRng(seedFrom(seed, 'offer')));
  const names = targets.map((t) => t.name);
  const key = fingerprint({
    scenario, persona, style, seed, provider, model, offered,
    targets: names.map((name) => o.byName.get(name)),
    generator: { effort: cfg.generator.reasoningEffort, temperature: cfg.generator.temperature, execution: cfg.execution, overrides: names.map((t) => cfg.tools.overrides[t]?.execution ?? null) },
  });
  return { index: o.index, key, scenario, targets: names, offered, persona, style, seed, status: 'planned', ...(o.replaces !== undefined ? { replaces: o.replaces } : {}) };
}
