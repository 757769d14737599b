import { shingles } from '../dedup/shingles';
import type { Sample, Scenario } from '../types';
import { createRng, type Rng } from '../util/rng';
import { dedupSamples, dedupText } from './dedup';

const CFG = { threshold: 0.85, numPerm: 128, bands: 16, shingle: 3 };
const CITIES = ['Paris', 'Oslo', 'Lima', 'Rome', 'Tokyo', 'Cairo', 'Austin', 'Riga'];

function makeSample(id: string, request: string, args: Record<string, unknown>, scenario: Scenario = 'standard'): Sample {
  return {
    id,
    seedId: id,
    source: 'seed',
    scenario,
    tool_name: 'get_weather',
    tools: ['get_weather'],
    messages: [
      { role: 'system', content: 'You are a weather assistant.' },
      { role: 'user', content: request },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', name: 'get_weather', arguments: args }] },
      { role: 'tool', tool_call_id: 'c1', name: 'get_weather', content: `{"temp": ${id.length}}` },
      { role: 'assistant', content: `Here is the weather (${id}).` },
    ],
    meta: { provider: 'offline', model: 'test', seed: 1 },
  };
}

function exactJaccard(a: Uint32Array, b: Uint32Array): number {
  const setB = new Set(b);
  const both = [...a].filter((x) => setB.has(x)).length;
  return both / (a.length + b.length - both);
}

function vocabulary(rng: Rng): string[] {
  const syllables = ['ka', 'lo', 'mi', 'ren', 'tas', 'vel', 'dor', 'pin', 'shu', 'bre', 'nox', 'tal', 'qui', 'zen'];
  const words = new Set<string>();
  while (words.size < 2000) words.add(`${rng.pick(syllables)}${rng.pick(syllables)}${rng.pick(syllables)}`);
  return [...words];
}

/** Distinct rows plus one planted near-duplicate (exact shingle Jaccard ≥ 0.9) for every 10th row, shuffled. */
function plantedSet(seed: number, distinct: number) {
  const rng = createRng(seed);
  const vocab = vocabulary(rng);
  const rows: { sample: Sample; family: number }[] = [];
  const jaccards: number[] = [];
  for (let f = 0; f < distinct; f++) {
    const city = rng.pick(CITIES);
    const words = Array.from({ length: rng.int(18, 30) }, () => rng.pick(vocab)).join(' ');
    const request = `Could you check the weather in ${city}, ${words}?`;
    const args = { city, units: rng.pick(['metric', 'imperial']) };
    const base = makeSample(`base-${f}`, request, args);
    rows.push({ sample: base, family: f });
    if (f % 10 !== 0) continue;
    const edits = [
      (t: string) => t.toUpperCase(),
      (t: string) => `hello ${t}`,
      (t: string) => t.replace(/,/g, ';').replace('?', ' !'),
      (t: string) => t.replace(/^Could/, 'Would'),
    ];
    const variant = makeSample(`variant-${f}`, edits[(f / 10) % 4](request), { units: args.units, city }); // keys reordered too
    const j = exactJaccard(shingles(dedupText(base), CFG.shingle), shingles(dedupText(variant), CFG.shingle));
    jaccards.push(j);
    rows.push({ sample: variant, family: f });
  }
  rng.shuffle(rows);
  return { rows, jaccards };
}

describe('dedupSamples', () => {
  const { rows, jaccards } = plantedSet(5, 3000);
  const samples = rows.map((r) => r.sample);
  const result = dedupSamples(samples, CFG);
  const familyOf = new Map(rows.map((r) => [r.sample.id, r.family]));
  const keptOf = (id: string) => result.duplicates.get(id) ?? id;

  it('plants pairs that really are near-duplicates (Jaccard ≥ 0.9, not all identical)', () => {
    expect(jaccards.length).toBe(300);
    expect(Math.min(...jaccards)).toBeGreaterThanOrEqual(0.9);
    expect(jaccards.filter((j) => j < 1).length).toBeGreaterThan(100);
  });

  it('finds at least 95% of the planted near-duplicates', () => {
    const variants = samples.filter((s) => s.id.startsWith('variant-'));
    const found = variants.filter((v) => keptOf(v.id) === keptOf(v.id.replace('variant-', 'base-'))).length;
    expect(found / variants.length).toBeGreaterThanOrEqual(0.95);
  });

  it('merges at most 1% of distinct rows with a row of another family', () => {
    const wrong = samples.filter((s) => familyOf.get(keptOf(s.id)) !== familyOf.get(s.id)).length;
    expect(wrong / samples.length).toBeLessThanOrEqual(0.01);
  });

  it('keeps the first row of each cluster by input order', () => {
    const position = new Map(samples.map((s, i) => [s.id, i]));
    expect(result.duplicates.size).toBeGreaterThan(0);
    for (const [dup, kept] of result.duplicates) {
      expect(position.get(kept)!).toBeLessThan(position.get(dup)!);
      expect(result.duplicates.has(kept)).toBe(false);
    }
    expect(result.clusters).toBe(new Set(result.duplicates.values()).size);
  });

  it('is deterministic', () => {
    const again = dedupSamples(plantedSet(5, 3000).rows.map((r) => r.sample), CFG);
    expect([...again.duplicates]).toEqual([...result.duplicates]);
  });

  it('compares rows only within one scenario', () => {
    const a = makeSample('a', 'Weather in Paris please, I am going out tonight with friends', { city: 'Paris' });
    const b = makeSample('b', 'Weather in Paris please, I am going out tonight with friends', { city: 'Paris' }, 'error');
    const c = makeSample('c', 'weather in PARIS please; i am going out tonight with friends!', { city: 'Paris' });
    expect([...dedupSamples([a, b, c], CFG).duplicates]).toEqual([['c', 'a']]);
  });

  it('rejects a configuration whose bands do not divide numPerm, saying what to change', () => {
    expect(() => dedupSamples(samples.slice(0, 2), { ...CFG, bands: 7 })).toThrow(/dedup.bands must divide dedup.numPerm \(128\)/);
  });
});

describe('dedupText', () => {
  it('reads user turns and calls with canonical arguments, not prose or tool results', () => {
    const s = makeSample('x', 'Rain in Oslo?', { units: 'metric', city: 'Oslo' });
    expect(dedupText(s)).toBe('Rain in Oslo?\nget_weather {"city":"Oslo","units":"metric"}');
  });

  it('keeps the raw text of arguments that did not parse', () => {
    const s = makeSample('x', 'Rain?', {});
    s.messages[2].tool_calls![0] = { id: 'c1', name: 'get_weather', arguments: undefined, raw: '{"city": Oslo' };
    expect(dedupText(s)).toBe('Rain?\nget_weather {"city": Oslo');
  });
});
