// Deterministic synthetic tool-calling rows for the dedup benchmark: distinct rows (templated weather
// requests with a free-text clause and one call) and planted near-duplicates of some of them (small
// edits whose exact word-shingle Jaccard with their base is >= 0.9), placed later in the stream.
import { dedupText } from '../../packages/core/src/stages/dedup';
import { shingles } from '../../packages/core/src/dedup/shingles';
import { createRng, type Rng } from '../../packages/core/src/util/rng';
import type { Sample } from '../../packages/core/src/types';

const CITIES = ['Paris', 'Lyon', 'Berlin', 'Munich', 'Madrid', 'Lisbon', 'Oslo', 'Tokyo', 'Osaka', 'Lima', 'Quito', 'Cairo', 'Nairobi', 'Austin', 'Denver', 'Boston', 'Seattle', 'Toronto', 'Sydney', 'Perth', 'Auckland', 'Dublin', 'Cork', 'Prague', 'Vienna', 'Zurich', 'Geneva', 'Milan', 'Naples', 'Athens', 'Seoul', 'Busan', 'Hanoi', 'Manila', 'Jakarta', 'Delhi', 'Mumbai', 'Dubai', 'Doha', 'Riga'];
const UNITS = ['metric', 'imperial'];
const SEVERITIES = ['minor', 'moderate', 'severe', 'extreme'];
const OPENERS = ['Could you', 'Can you', 'Please', 'I need you to', 'Would you', 'Quick one:', 'Hey,', 'Help me'];
const TEMPLATES: { tool: string; text: string; args: (r: Rng, city: string) => Record<string, unknown> }[] = [
  { tool: 'get_weather', text: '{open} check the current weather in {city} using {units} units', args: (r, city) => ({ city, units: r.pick(UNITS) }) },
  { tool: 'get_forecast', text: '{open} get me the {days} day forecast for {city}', args: (r, city) => ({ city, days: r.int(1, 7) }) },
  { tool: 'get_air_quality', text: '{open} tell me how clean the air is in {city} right now', args: (_r, city) => ({ city }) },
  { tool: 'get_alerts', text: '{open} list any {severity} weather alerts around {city}', args: (r, city) => ({ region: city, severity: r.pick(SEVERITIES) }) },
  { tool: 'get_sunrise', text: '{open} find when the sun rises in {city} on {date}', args: (r, city) => ({ city, date: `2025-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}` }) },
];
const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tas', 'vel', 'dor', 'pin', 'shu', 'bre', 'nox', 'tal', 'qui', 'zen', 'mar', 'fel', 'gru', 'hom', 'jil', 'wex'];
const COMMON = ['the', 'a', 'for', 'with', 'because', 'my', 'our', 'trip', 'plans', 'tomorrow', 'weekend', 'family', 'and', 'to', 'of', 'in', 'before', 'after', 'meeting', 'picnic'];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function vocabulary(rng: Rng, size: number): string[] {
  const words = new Set<string>();
  while (words.size < size) words.add(Array.from({ length: rng.int(2, 3) }, () => rng.pick(SYLLABLES)).join(''));
  return [...words];
}

export interface SyntheticDataset {
  samples: Sample[];
  /** Family of each row: a base and its planted variant share one. */
  family: Int32Array;
  /** [base index, variant index] of every planted near-duplicate pair. */
  planted: [number, number][];
  /** Exact shingle Jaccard of each planted pair (same order as `planted`). */
  plantedJaccard: number[];
}

export function exactJaccard(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let both = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) (both++, i++, j++);
    else if (a[i] < b[j]) i++;
    else j++;
  }
  const union = a.length + b.length - both;
  return union === 0 ? 1 : both / union;
}

function baseSample(rng: Rng, vocab: string[], id: number): Sample {
  const t = rng.pick(TEMPLATES);
  const city = rng.pick(CITIES);
  const args = t.args(rng, city);
  const clause = Array.from({ length: rng.int(14, 30) }, () => (rng.bool(0.3) ? rng.pick(COMMON) : rng.pick(vocab))).join(' ');
  const request = t.text
    .replace('{open}', rng.pick(OPENERS))
    .replace('{city}', city)
    .replace('{units}', String(args.units ?? ''))
    .replace('{days}', String(args.days ?? ''))
    .replace('{severity}', String(args.severity ?? ''))
    .replace('{date}', String(args.date ?? ''));
  const callId = `call_${id}`;
  return {
    id: `row-${id}`,
    seedId: `row-${id}`,
    source: 'seed',
    scenario: 'standard',
    tool_name: t.tool,
    tools: TEMPLATES.map((x) => x.tool),
    messages: [
      { role: 'user', content: `${request}, ${clause}?` },
      { role: 'assistant', content: null, tool_calls: [{ id: callId, name: t.tool, arguments: args }] },
      { role: 'tool', tool_call_id: callId, name: t.tool, content: JSON.stringify({ ok: true, city }) },
      { role: 'assistant', content: `Here is what I found for ${city}.` },
    ],
    meta: { provider: 'offline', model: 'synthetic', seed: id },
  };
}

// Small edits of the kind a careless paraphrase or a repeated generation makes.
const EDITS: ((text: string, rng: Rng, vocab: string[]) => string)[] = [
  (t) => t.toUpperCase(),
  (t) => t.replace(/,/g, ' ;').replace(/\?$/, '!!'),
  (t, r) => `${r.pick(['hi', 'hello', 'hey', 'ok'])} ${t}`,
  (t, r, v) => t.replace(/^\S+/, r.pick(v)),
  (t) => t.replace(/ /g, '  '),
  (t, r, v) => {
    const words = t.split(' ');
    words[r.int(0, words.length - 1)] = r.pick(v);
    return words.join(' ');
  },
];

function variantOf(base: Sample, rng: Rng, vocab: string[], id: number, k: number): { sample: Sample; jaccard: number } {
  const baseShingles = shingles(dedupText(base), k);
  for (let attempt = 0; attempt < 20; attempt++) {
    const user = base.messages[0].content as string;
    let text = user;
    for (let e = rng.int(1, 2); e > 0; e--) text = rng.pick(EDITS)(text, rng, vocab);
    const call = base.messages[1].tool_calls![0];
    // Same arguments with keys in reverse order: canonical JSON in dedupText must hide this.
    const reordered = Object.fromEntries(Object.entries(call.arguments as object).reverse());
    const sample: Sample = {
      ...base,
      id: `row-${id}`,
      messages: [{ role: 'user', content: text }, { ...base.messages[1], tool_calls: [{ ...call, arguments: reordered }] }, ...base.messages.slice(2)],
    };
    const jaccard = exactJaccard(baseShingles, shingles(dedupText(sample), k));
    if (jaccard >= 0.9) return { sample, jaccard };
  }
  const sample: Sample = { ...base, id: `row-${id}`, messages: [{ role: 'user', content: String(base.messages[0].content).toUpperCase() }, ...base.messages.slice(1)] };
  return { sample, jaccard: 1 };
}

/**
 * `n` rows; about `plantedShare` of them are near-duplicates of an earlier row, placed 1..`maxGap`
 * rows after it. Same arguments, same rows.
 */
export function syntheticDataset(n: number, opts: { seed?: number; plantedShare?: number; maxGap?: number; shingle?: number } = {}): SyntheticDataset {
  const rng = createRng(opts.seed ?? 42);
  const vocab = vocabulary(rng, 4000);
  const share = opts.plantedShare ?? 0.1;
  const maxGap = opts.maxGap ?? 5000;
  const k = opts.shingle ?? 3;
  const samples: Sample[] = [];
  const family = new Int32Array(n);
  const planted: [number, number][] = [];
  const plantedJaccard: number[] = [];
  const due = new Map<number, { sample: Sample; base: number; jaccard: number }[]>();
  const ready: { sample: Sample; base: number; jaccard: number }[] = [];
  for (let r = 0; r < n; r++) {
    const arriving = due.get(r);
    if (arriving) (ready.push(...arriving), due.delete(r));
    const next = ready.shift();
    if (next) {
      samples.push(next.sample);
      family[r] = family[next.base];
      planted.push([next.base, r]);
      plantedJaccard.push(next.jaccard);
      continue;
    }
    const base = baseSample(rng, vocab, r);
    samples.push(base);
    family[r] = r;
    if (rng.bool(share / (1 - share))) {
      const v = variantOf(base, rng, vocab, r, k);
      const at = r + rng.int(1, maxGap);
      const list = due.get(at) ?? [];
      list.push({ sample: { ...v.sample, id: `variant-of-${r}` }, base: r, jaccard: v.jaccard });
      due.set(at, list);
    }
  }
  return { samples, family, planted, plantedJaccard };
}
