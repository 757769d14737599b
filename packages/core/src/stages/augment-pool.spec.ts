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
  const pool = augmentationPool(cfg(), 100);
  expect(pool).toEqual({ variants: Math.ceil(42 * SELECTION_MARGIN), factor: 1.63, keepable: 42, explicit: false });
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

it('spreads a pool smaller than the seeds at an even stride (every scenario gets its share)', () => {
  const seeds = Array.from({ length: 10 }, (_, i) => ({ id: `s${i}` }) as Sample);
  const jobs = planVariants(seeds, cfg());
  // 10 seeds: keepable floor(4.2857) = 4, x1.5 = 6 variants, one for every 10/6th seed.
  expect(jobs.map((j) => j.seed.id)).toEqual(['s1', 's3', 's4', 's6', 's8', 's9']);
  expect(planVariants(seeds, cfg('augmentation: { factor: 3 }\n'))).toHaveLength(20);
});

it('the estimate states rows before QC, rows expected in the final set, and the cost per final row', () => {
  const items = Array.from({ length: 100 }, (_, i) => ({ scenario: 'standard' as const, index: i }));
  const plan = { items, dataset: 'demo', scenarioCounts: { standard: 100 } } as unknown as Plan;
  const auto = estimate(plan, cfg());
  expect(auto.rowsBeforeQc).toBe(163);
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
