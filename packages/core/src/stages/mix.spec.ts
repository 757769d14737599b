import { projectMix, splitFamilies, type MixRow } from './mix';
import type { ForgeConfig } from '../config/types';
import type { Scenario } from '../types';

const cfg = { scenarios: { standard: 0.5, no_tool: 0.5 }, mix: { maxAugmentedShare: 0.3, real: [], split: { eval: 0.2 } } } as unknown as ForgeConfig;

function rows(): MixRow[] {
  const out: MixRow[] = [];
  for (let s = 0; s < 20; s++) {
    const scenario: Scenario = s % 2 ? 'no_tool' : 'standard';
    out.push({ id: `s${s}`, seedId: `s${s}`, source: 'seed', scenario, score: 1, tool: 't' });
    for (let a = 0; a < 9; a++) out.push({ id: `s${s}-a${a}`, seedId: `s${s}`, source: 'augmented', scenario, score: (a % 5) / 5, tool: 't' });
  }
  return out;
}

describe('projectMix', () => {
  it('caps augmented rows at maxAugmentedShare, keeps every seed, prefers high scores and spreads over families', () => {
    const r = projectMix(rows(), cfg);
    const selected = rows().filter((x) => r.selected.has(x.id));
    const aug = selected.filter((x) => x.source === 'augmented');
    expect(selected.filter((x) => x.source === 'seed')).toHaveLength(20);
    expect(aug.length / selected.length).toBeLessThanOrEqual(0.3);
    expect(aug.length).toBe(8);
    expect(new Set(aug.map((x) => x.seedId)).size).toBe(8);
    expect(aug.every((x) => x.score === 0.8)).toBe(true);
    expect(r.droppedAugmented).toBe(180 - 8);
    expect(r.maxDeviation).toBe(0);
  });
});

describe('splitFamilies', () => {
  it('keeps every family on one side and is deterministic', () => {
    const all = rows();
    const evalFams = splitFamilies(all, 0.2, 1);
    expect(evalFams.size).toBe(4);
    expect(splitFamilies(all, 0.2, 1)).toEqual(evalFams);
    const sides = new Map<string, Set<boolean>>();
    for (const r of all) sides.set(r.seedId, (sides.get(r.seedId) ?? new Set()).add(evalFams.has(r.seedId)));
    expect([...sides.values()].every((s) => s.size === 1)).toBe(true);
    expect([...evalFams].filter((f) => all.find((r) => r.seedId === f)!.scenario === 'standard')).toHaveLength(2);
  });
});
