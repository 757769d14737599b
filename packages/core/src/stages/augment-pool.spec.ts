// How many variants augment pays for: the cap's share times the selection margin, unless the user set
// augmentation.factor (the pool they asked for) or mix.real makes room.
import { parseConfigText } from '../config/loader';
import { augmentationPool, planVariants, SELECTION_MARGIN } from './augment';
import { estimate } from './estimate';
import { augmentationModel } from '../llm/openai/model-params';
import type { Sample } from '../types';
import type { Plan } from './plan';

const cfg = (yaml = '') => parseConfigText(`server: { command: node }\n${yaml}`, '/ws/datasets/demo/forge.yaml', { workspaceRoot: '/ws' });

it('with factor unset, makes the augmented rows the cap keeps times the selection margin', () => {
  // 100 seeds, share 0.3: the final set keeps floor(0.3 * 100 / 0.7) = 42 augmented rows.
  // The pool is a rate per planned seed: 1.5 x 0.3 / 0.7 = 0.643, 64 variants for 100 seeds.
  const pool = augmentationPool(cfg(), 100);
  expect(pool).toMatchObject({ variants: Math.floor((100 * SELECTION_MARGIN * 0.3) / 0.7), factor: 1.643, keepable: 42, explicit: false });
  expect(pool.variants).toBe(64);
});

it('rows from mix.real make room for more augmented rows', () => {
  expect(augmentationPool(cfg(), 100, 40).keepable).toBe(60);
  expect(augmentationPool(cfg(), 100, 40).variants).toBe(90);
});

it('honours augmentation.factor as the pool size when the user sets it (the 10x pool stays available)', () => {
  const pool = augmentationPool(cfg('augmentation: { factor: 10 }\n'), 100);
  expect(pool).toMatchObject({ variants: 900, factor: 10, keepable: 42, explicit: true });
  expect(augmentationPool(cfg('augmentation: { factor: 1 }\n'), 100).variants).toBe(0);
});

it('without a cap (maxAugmentedShare 1) and no factor, falls back to a pool factor of 10', () => {
  expect(augmentationPool(cfg('mix: { maxAugmentedShare: 1 }\n'), 10)).toMatchObject({ variants: 90, explicit: false });
});

it('spreads a pool smaller than the seeds at an even stride over the plan slots (every scenario gets its share)', () => {
  const seeds = Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, meta: {} }) as unknown as Sample);
  const jobs = planVariants(seeds, cfg());
  // 10 seeds at 0.643 variants per seed: slot k gets floor((k+1) r) - floor(k r), 6 in all.
  expect(jobs.map((j) => j.seed.id)).toEqual(['s1', 's3', 's4', 's6', 's7', 's9']);
  expect(planVariants(seeds, cfg('augmentation: { factor: 3 }\n'))).toHaveLength(20);
});

it("sizes each seed family on its own: other seeds kept, failed or replaced never change a family's variants", () => {
  const seed = (i: number, extra: object = {}) => ({ id: `s${i}`, meta: { planKey: `k${i}`, ...extra } }) as unknown as Sample;
  const slots = { count: 40, byKey: new Map(Array.from({ length: 40 }, (_, i) => [`k${i}`, i])) };
  const all = Array.from({ length: 40 }, (_, i) => seed(i));
  const variantsOf = (jobs: ReturnType<typeof planVariants>) => {
    const out = new Map<string, string[]>();
    for (const j of jobs) out.set(j.seed.id, [...(out.get(j.seed.id) ?? []), `${j.variant}:${j.strategy}`]);
    return out;
  };
  for (const yaml of ['', 'augmentation: { factor: 2.5 }\n', 'augmentation: { factor: 10 }\n']) {
    const full = variantsOf(planVariants(all, cfg(yaml), { slots }));
    // Seeds 3 and 17 failed; seed 17 was replaced by a top-up item (another plan key) that takes its slot.
    const some = all.filter((s) => s.id !== 's3' && s.id !== 's17');
    const replacement = { id: 'r17', meta: { planKey: 'other', replaces: 17 } } as unknown as Sample;
    const fewer = variantsOf(planVariants([...some, replacement], cfg(yaml), { slots }));
    for (const s of some) expect(fewer.get(s.id)).toEqual(full.get(s.id));
    expect(fewer.get('r17')).toEqual(full.get('s17'));
    expect(fewer.has('s3')).toBe(false);
    // The planned pool in total: floor(40 r).
    expect([...full.values()].flat()).toHaveLength(augmentationPool(cfg(yaml), 40).variants);
  }
});

it('the estimate states rows before QC, rows expected in the final set, and the cost per final row', () => {
  const items = Array.from({ length: 100 }, (_, i) => ({ scenario: 'standard' as const, index: i }));
  const plan = { items, dataset: 'demo', scenarioCounts: { standard: 100 } } as unknown as Plan;
  const auto = estimate(plan, cfg());
  expect(auto.rowsBeforeQc).toBe(164);
  expect(auto.finalRows).toBe(142);
  expect(auto.usdPerFinalRow).toBeCloseTo(auto.usd / 142);
  const ten = estimate(plan, cfg('augmentation: { factor: 10 }\n'));
  expect(ten.rowsBeforeQc).toBe(1000);
  expect(ten.finalRows).toBe(142);
  // The 10x pool costs several times more per kept row.
  expect(ten.usdPerFinalRow / auto.usdPerFinalRow).toBeGreaterThan(3);
});

it('augmentation.model: the smaller sibling of generator.model by default, priced in the estimate', () => {
  expect(augmentationModel(cfg())).toBe('gpt-5-mini');
  expect(augmentationModel(cfg('generator: { model: openai/gpt-4.1 }\n'))).toBe('openai/gpt-4.1-mini');
  expect(augmentationModel(cfg('generator: { model: llama-3.1-8b }\n'))).toBe('llama-3.1-8b');
  expect(augmentationModel(cfg('augmentation: { model: gpt-5-nano }\n'))).toBe('gpt-5-nano');
  const items = Array.from({ length: 100 }, (_, i) => ({ scenario: 'standard' as const, index: i }));
  const plan = { items, dataset: 'demo', scenarioCounts: { standard: 100 } } as unknown as Plan;
  const cheap = estimate(plan, cfg('augmentation: { factor: 10 }\n'));
  const same = estimate(plan, cfg('augmentation: { factor: 10, model: gpt-5 }\n'));
  expect(cheap.requests).toEqual(same.requests);
  expect(cheap.usd).toBeLessThan(same.usd);
});
