// The synthesis plan: every sample to produce, decided up front and deterministically from the
// config and the tool list. Each item's key is a content fingerprint of everything that shapes its
// requests (scenario, persona, seed, the target tools' full definitions, provider and model), so a
// change to one tool's schema changes only the keys of the items about that tool.
import type { ForgeConfig, ResolvedProvider } from '../config/types';
import type { Scenario, ToolDef } from '../types';
import { fingerprint } from '../util/hash';
import { createRng, seedFrom } from '../util/rng';
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
  status: PlanStatus;
  reason?: string;
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
function weightedSequence(tools: ToolDef[], weights: number[], n: number, offset: number): ToolDef[] {
  const current = weights.map(() => 0);
  const total = weights.reduce((a, b) => a + b, 0);
  const seq: ToolDef[] = [];
  for (let i = 0; i < n + offset; i++) {
    let best = 0;
    for (let j = 0; j < tools.length; j++) {
      current[j] += weights[j];
      if (current[j] > current[best]) best = j;
    }
    current[best] -= total;
    if (i >= offset) seq.push(tools[best]);
  }
  return seq;
}

export function buildPlan(opts: { dataset: string; cfg: ForgeConfig; tools: ToolDef[]; provider: ResolvedProvider; model: string }): Plan {
  const { cfg, provider, model } = opts;
  const tools = selectTools(cfg, opts.tools);
  const weights = tools.map((t) => cfg.tools.overrides[t.name]?.weight ?? 1);
  const counts = apportion(cfg.samples, cfg.scenarios);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const items: PlanItem[] = [];
  let scenarioIndex = 0;
  for (const scenario of Object.keys(counts) as Scenario[]) {
    const n = counts[scenario] ?? 0;
    const seq = weightedSequence(tools, weights, n, scenarioIndex++ * 3);
    for (let i = 0; i < n; i++) {
      const seed = seedFrom(cfg.seed, scenario, i);
      const rng = createRng(seed);
      const first = seq[i];
      const targets = [first.name];
      if (scenario === 'parallel') {
        // Two calls in one turn: the same tool with other arguments, or a second tool.
        const other = tools.length > 1 && rng.bool(0.5) ? rng.pick(tools.filter((t) => t.name !== first.name)) : first;
        targets.push(other.name);
        if (rng.bool(0.2)) targets.push(rng.pick(tools).name);
      }
      if (scenario === 'multi_turn') {
        // The second request of the conversation: another tool (or the same one again).
        targets.push(tools.length > 1 && rng.bool(0.6) ? rng.pick(tools.filter((t) => t.name !== first.name)).name : first.name);
      }
      const persona = rng.pick(PERSONAS);
      const style = rng.pick(STYLES);
      const key = fingerprint({
        scenario, persona, style, seed, provider, model,
        targets: targets.map((name) => byName.get(name)),
        generator: { effort: cfg.generator.reasoningEffort, temperature: cfg.generator.temperature, execution: cfg.execution, overrides: targets.map((t) => cfg.tools.overrides[t]?.execution ?? null) },
      });
      items.push({ index: items.length, key, scenario, targets, persona, style, seed, status: 'planned' });
    }
  }
  return { dataset: opts.dataset, provider, model, seed: cfg.seed, samples: cfg.samples, scenarioCounts: counts, tools: tools.map((t) => t.name), items };
}
