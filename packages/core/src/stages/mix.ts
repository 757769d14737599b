// Final assembly: which accepted rows make the dataset, and the train/eval split.
// Seeds and real rows are always in; augmented rows are capped at mix.maxAugmentedShare of the final
// set. The cap is spread over the scenarios in the configured proportions, and inside a scenario the
// rows are taken family by family (one per seed in turn), best judge score first, so the kept
// augmented rows are both good and diverse. Everything dropped is counted.
// Linear in the rows apart from the sorts (O(n log n)): groups are built by appending, and the
// family round-robin drops exhausted families as it goes.
import type { ForgeConfig } from '../config/types';
import type { Sample, Scenario } from '../types';
import { apportion } from './plan';
import { seedFrom } from '../util/rng';

export interface MixRow {
  id: string;
  seedId: string;
  source: Sample['source'];
  scenario: Scenario;
  score: number;
  tool: string | null;
}

export interface MixResult {
  selected: Set<string>;
  droppedAugmented: number;
  augmentedShare: number;
  actual: Partial<Record<Scenario, number>>;
  maxDeviation: number;
}

function targetShares(cfg: ForgeConfig): Partial<Record<Scenario, number>> {
  return cfg.scenarios;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The same order as String#localeCompare, without building a collator per comparison. */
const collate = new Intl.Collator().compare;

/** Best judge score first, then by id (deterministic). */
function byScore(a: MixRow, b: MixRow): number {
  return b.score - a.score || collate(a.id, b.id);
}

export function projectMix(rows: MixRow[], cfg: ForgeConfig): MixResult {
  const base = rows.filter((r) => r.source !== 'augmented');
  const aug = rows.filter((r) => r.source === 'augmented');
  const share = cfg.mix.maxAugmentedShare;
  const allowed = share >= 1 ? aug.length : Math.min(aug.length, Math.floor((share * base.length) / (1 - share) + 1e-9));
  const selected = new Set(base.map((r) => r.id));
  const byScenario = new Map<Scenario, MixRow[]>();
  for (const r of aug) push(byScenario, r.scenario, r);
  // Each scenario gets the augmented rows that bring the whole set closest to the target mix
  // (the seeds' own rounding included), split by the largest remainder.
  const targets = targetShares(cfg);
  const baseCount = new Map<Scenario, number>();
  for (const r of base) baseCount.set(r.scenario, (baseCount.get(r.scenario) ?? 0) + 1);
  const need: Partial<Record<Scenario, number>> = {};
  for (const [sc, share] of Object.entries(targets) as [Scenario, number][]) need[sc] = Math.max(0, share * (base.length + allowed) - (baseCount.get(sc) ?? 0));
  const quota = Object.values(need).some((n) => (n ?? 0) > 0) ? apportion(allowed, need) : apportion(allowed, targets);
  // A scenario without enough augmented rows gives its unused quota to the others, in order.
  let spare = 0;
  const take = new Map<Scenario, number>();
  for (const [sc, q] of Object.entries(quota) as [Scenario, number][]) {
    const have = byScenario.get(sc)?.length ?? 0;
    take.set(sc, Math.min(q, have));
    spare += Math.max(0, q - have);
  }
  for (const [sc, rowsOf] of byScenario) {
    if (spare <= 0) break;
    const extra = Math.min(spare, rowsOf.length - (take.get(sc) ?? 0));
    take.set(sc, (take.get(sc) ?? 0) + extra);
    spare -= extra;
  }
  for (const [sc, rowsOf] of byScenario) {
    const n = take.get(sc) ?? 0;
    const families = new Map<string, MixRow[]>();
    for (const r of rowsOf) push(families, r.seedId, r);
    let queues = [...families.values()].map((f) => f.sort(byScore));
    queues.sort((a, b) => byScore(a[0], b[0]));
    let picked = 0;
    for (let round = 0; picked < n && queues.length; round++) {
      for (const q of queues) {
        if (picked >= n) break;
        selected.add(q[round].id);
        picked++;
      }
      // Families with nothing left for the next round drop out (keeps the loop linear in the rows).
      queues = queues.filter((q) => q.length > round + 1);
    }
  }
  const actual: Partial<Record<Scenario, number>> = {};
  let total = 0;
  for (const r of rows) {
    if (!selected.has(r.id)) continue;
    actual[r.scenario] = (actual[r.scenario] ?? 0) + 1;
    total++;
  }
  let maxDeviation = 0;
  for (const sc of new Set([...Object.keys(targets), ...Object.keys(actual)]) as Set<Scenario>) {
    const a = total ? (actual[sc] ?? 0) / total : 0;
    maxDeviation = Math.max(maxDeviation, Math.abs(a - (targets[sc] ?? 0)));
  }
  let augSelected = 0;
  for (const r of aug) if (selected.has(r.id)) augSelected++;
  return { selected, droppedAugmented: aug.length - augSelected, augmentedShare: total ? augSelected / total : 0, actual, maxDeviation };
}

/**
 * Deterministic train/eval split grouped by seed family (a seed and all its augmentations land on the
 * same side) and stratified by scenario, so both sides keep the mix.
 */
export function splitFamilies(rows: { seedId: string; scenario: Scenario }[], evalShare: number, seed: number): Set<string> {
  const familyScenario = new Map<string, Scenario>();
  for (const r of rows) if (!familyScenario.has(r.seedId)) familyScenario.set(r.seedId, r.scenario);
  const byScenario = new Map<Scenario, string[]>();
  for (const [fam, sc] of familyScenario) push(byScenario, sc, fam);
  const evalFamilies = new Set<string>();
  for (const fams of byScenario.values()) {
    const n = Math.round(fams.length * evalShare);
    // The sort key is computed once per family, not once per comparison.
    const keyed = fams.map((f) => ({ f, k: seedFrom(seed, 'split', f) }));
    keyed.sort((a, b) => a.k - b.k || collate(a.f, b.f));
    for (let i = 0; i < n; i++) evalFamilies.add(keyed[i].f);
  }
  return evalFamilies;
}
