// Deterministic planted datasets for `mcp-forge qc`: realistic weather tool-calling conversations
// (standard, no_tool, parallel and error scenarios) with ground truth for every row:
//   - planted near-duplicates: small edits of an earlier clean row whose exact word-3-shingle Jaccard
//     with it (over the text qc dedups by) is >= 0.9, placed 1..maxGap rows later;
//   - planted defects, one known-bad thing per row, each with the reason code qc must give it.
// Two shapes: `varied` (templated requests plus a free-text clause of 14-30 words, like
// bench/dedup/synthetic.ts) and `templated` (124 short templates plus a random 2-4 word suffix: rows
// that share many band buckets without being duplicates, the worst case for LSH clustering).
import { dedupText } from '../../packages/core/src/stages/dedup';
import { shingles } from '../../packages/core/src/dedup/shingles';
import { createRng, type Rng } from '../../packages/core/src/util/rng';
import type { Message, Sample, Scenario, ToolCall } from '../../packages/core/src/types';
import { WEATHER_TOOLS } from './weather-tools';
import { exactJaccard } from '../dedup/synthetic';

export const DEFECTS = ['wrong_tool', 'missing_required', 'wrong_type', 'enum_violation', 'broken_json', 'call_in_no_tool', 'single_call_parallel'] as const;
export type Defect = (typeof DEFECTS)[number];

/** The reason code (stages/validate.ts) each defect must be rejected with. */
export const DEFECT_CODE: Record<Defect, string> = {
  wrong_tool: 'unknown_tool',
  missing_required: 'missing_required',
  wrong_type: 'invalid_arguments',
  enum_violation: 'invalid_arguments',
  broken_json: 'unparseable_arguments',
  call_in_no_tool: 'scenario',
  single_call_parallel: 'scenario',
};

export interface PlantedRow {
  sample: Sample;
  /** Row index of the family's first row: a base and its planted near-duplicate share one. */
  family: number;
  defect?: Defect;
  /** Row index of the earlier row this one is a planted near-duplicate of. */
  duplicateOf?: number;
  /** Exact shingle Jaccard with that row. */
  jaccard?: number;
}

export interface PlantedOptions {
  seed?: number;
  shape?: 'varied' | 'templated';
  /** Share of rows that are planted near-duplicates (default 0.1). */
  duplicateShare?: number;
  /** Share of rows with a planted defect (default 0.03). */
  defectShare?: number;
  /** Largest distance in rows between a base and its near-duplicate (default 5000). */
  maxGap?: number;
}

const CITIES = ['Paris', 'Lyon', 'Berlin', 'Munich', 'Madrid', 'Lisbon', 'Oslo', 'Tokyo', 'Osaka', 'Lima', 'Quito', 'Cairo', 'Nairobi', 'Austin', 'Denver', 'Boston', 'Seattle', 'Toronto', 'Sydney', 'Perth', 'Auckland', 'Dublin', 'Cork', 'Prague', 'Vienna', 'Zurich', 'Geneva', 'Milan', 'Naples', 'Athens', 'Seoul', 'Busan', 'Hanoi', 'Manila', 'Jakarta', 'Delhi', 'Mumbai', 'Dubai', 'Doha', 'Riga'];
const OPENERS = ['Could you', 'Can you', 'Please', 'I need you to', 'Would you', 'Quick one:', 'Hey,', 'Help me'];
const PAD = (n: number) => String(n).padStart(2, '0');
type Args = Record<string, unknown>;
const REQUESTS: { tool: string; texts: string[]; args: (r: Rng, city: string) => Args }[] = [
  { tool: 'get_weather', texts: ['check the current weather in {city} using {units} units', 'tell me what it is like outside in {city} in {units}', 'look up the weather in {city} right now, {units} please'], args: (r, city) => ({ city, units: r.pick(['metric', 'imperial']) }) },
  { tool: 'get_forecast', texts: ['get me the {days} day forecast for {city}', 'what will the weather do in {city} over the next {days} days', 'show the {days}-day outlook for {city}'], args: (r, city) => ({ city, days: r.int(1, 7) }) },
  { tool: 'get_air_quality', texts: ['tell me how clean the air is in {city} right now', 'is the air quality in {city} ok today', 'check pollution levels in {city}'], args: (_r, city) => ({ city }) },
  { tool: 'get_alerts', texts: ['list any {severity} weather alerts around {city}', 'are there {severity} warnings for {city}', 'show {severity} or worse alerts near {city}'], args: (r, city) => ({ region: city, severity: r.pick(['minor', 'moderate', 'severe', 'extreme']) }) },
  { tool: 'get_sunrise', texts: ['find when the sun rises in {city} on {date}', 'what time is sunrise in {city} on {date}', 'give me sunrise and sunset for {city} on {date}'], args: (r, city) => ({ city, date: `2025-${PAD(r.int(1, 12))}-${PAD(r.int(1, 28))}` }) },
];
const TOPICS = ['how clouds form', 'what a cold front is', 'why the sky is blue', 'how hurricanes get their names', 'what dew point means', 'how a barometer works', 'what causes fog', 'how hail forms', 'what the jet stream is', 'why it rains more in spring', 'what humidity is', 'how lightning forms'];
const NO_TOOL_TEXTS = ['explain {topic}', 'in a few words, {topic}?', 'I was wondering {topic}'];
const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tas', 'vel', 'dor', 'pin', 'shu', 'bre', 'nox', 'tal', 'qui', 'zen', 'mar', 'fel', 'gru', 'hom', 'jil', 'wex'];
const COMMON = ['the', 'a', 'for', 'with', 'because', 'my', 'our', 'trip', 'plans', 'tomorrow', 'weekend', 'family', 'and', 'to', 'of', 'in', 'before', 'after', 'meeting', 'picnic'];
const SHINGLE = 3;

function vocabulary(rng: Rng, size: number): string[] {
  const words = new Set<string>();
  while (words.size < size) words.add(Array.from({ length: rng.int(2, 3) }, () => rng.pick(SYLLABLES)).join(''));
  return [...words];
}

function fill(text: string, values: Args): string {
  return text.replace(/\{(\w+)\}/g, (_m, k: string) => String(values[k] ?? ''));
}

interface Ctx {
  rng: Rng;
  vocab: string[];
  shape: 'varied' | 'templated';
}

/** The free part of a request: a long clause (varied) or a short random suffix (templated). */
function tail(ctx: Ctx): string {
  const { rng, vocab } = ctx;
  if (ctx.shape === 'templated') return Array.from({ length: rng.int(2, 4) }, () => rng.pick(vocab)).join(' ');
  return Array.from({ length: rng.int(14, 30) }, () => (rng.bool(0.3) ? rng.pick(COMMON) : rng.pick(vocab))).join(' ');
}

function request(ctx: Ctx, kind: (typeof REQUESTS)[number], args: Args): string {
  return `${ctx.rng.pick(OPENERS)} ${fill(ctx.rng.pick(kind.texts), { city: args.region, ...args })}, ${tail(ctx)}?`;
}

function callTurns(calls: ToolCall[], error: boolean): Message[] {
  const results: Message[] = calls.map((c) => {
    const city = String((c.arguments as Args | undefined)?.city ?? (c.arguments as Args | undefined)?.region ?? 'there');
    const content = error ? JSON.stringify({ isError: true, error: `upstream weather service timed out for ${city}` }) : JSON.stringify({ city, temperature: 18, condition: 'partly cloudy', humidity: 0.62, wind_kph: 14 });
    return { role: 'tool', tool_call_id: c.id, name: c.name, content };
  });
  const answer = error ? 'Sorry, the weather service did not answer in time. Shall I try again in a minute?' : `Here is what I found: ${calls.map((c) => String((c.arguments as Args | undefined)?.city ?? (c.arguments as Args | undefined)?.region)).join(' and ')} is partly cloudy at 18 degrees.`;
  return [{ role: 'assistant', content: null, tool_calls: calls }, ...results, { role: 'assistant', content: answer }];
}

function baseSample(ctx: Ctx, id: number, scenario: Scenario): Sample {
  const { rng } = ctx;
  const kind = rng.pick(REQUESTS);
  const city = rng.pick(CITIES);
  const args = kind.args(rng, city);
  let messages: Message[];
  if (scenario === 'no_tool') {
    const text = `${rng.pick(OPENERS)} ${fill(rng.pick(NO_TOOL_TEXTS), { topic: rng.pick(TOPICS) })}, ${tail(ctx)}`;
    messages = [{ role: 'user', content: text }, { role: 'assistant', content: 'Good question. In short: it comes down to air temperature, moisture and pressure; I can look up live data for a city if you like.' }];
  } else if (scenario === 'parallel') {
    const other = rng.pick(CITIES.filter((c) => c !== city));
    const args2 = { ...kind.args(rng, other) };
    const text = `${request(ctx, kind, args)} Same for ${other} please.`;
    messages = [{ role: 'user', content: text }, ...callTurns([{ id: `call_${id}_1`, name: kind.tool, arguments: args }, { id: `call_${id}_2`, name: kind.tool, arguments: args2 }], false)];
  } else {
    messages = [{ role: 'user', content: request(ctx, kind, args) }, ...callTurns([{ id: `call_${id}`, name: kind.tool, arguments: args }], scenario === 'error')];
  }
  return { id: `row-${id}`, seedId: `row-${id}`, source: 'seed', scenario, tool_name: scenario === 'no_tool' ? null : kind.tool, tools: WEATHER_TOOLS.map((t) => t.name), messages, meta: { provider: 'offline', model: 'planted', seed: id } };
}

/** The sample with its first call edited (its result renamed with it, so only the call is wrong). */
function withCall(sample: Sample, edit: (call: ToolCall) => ToolCall): Sample {
  let edited: ToolCall | undefined;
  const messages = sample.messages.map((m) => {
    if (!edited && m.tool_calls?.length) {
      edited = edit(m.tool_calls[0]);
      return { ...m, tool_calls: [edited, ...m.tool_calls.slice(1)] };
    }
    if (edited && m.role === 'tool' && m.tool_call_id === edited.id) return { ...m, name: edited.name };
    return m;
  });
  return { ...sample, messages };
}

/** A clean row turned into a row with exactly one planted defect. */
function plantDefect(ctx: Ctx, id: number, defect: Defect): Sample {
  const { rng } = ctx;
  const standard = (tool?: string): Sample => {
    for (;;) {
      const s = baseSample(ctx, id, 'standard');
      if (!tool || s.tool_name === tool) return s;
    }
  };
  switch (defect) {
    case 'wrong_tool':
      return withCall(standard(), (c) => ({ ...c, name: `${c.name}_v2` }));
    case 'missing_required':
      return withCall(standard(), (c) => {
        const { city: _c, region: _r, ...rest } = c.arguments as Args;
        return { ...c, arguments: rest };
      });
    case 'wrong_type':
      return withCall(standard('get_forecast'), (c) => ({ ...c, arguments: { ...(c.arguments as Args), days: rng.pick(['three', '3', true]) } }));
    case 'enum_violation':
      return rng.bool()
        ? withCall(standard('get_weather'), (c) => ({ ...c, arguments: { ...(c.arguments as Args), units: 'kelvin' } }))
        : withCall(standard('get_alerts'), (c) => ({ ...c, arguments: { ...(c.arguments as Args), severity: 'apocalyptic' } }));
    case 'broken_json':
      return withCall(standard(), (c) => ({ ...c, arguments: undefined, raw: JSON.stringify(c.arguments).slice(0, -1) }));
    case 'call_in_no_tool':
      return { ...standard(), scenario: 'no_tool' };
    case 'single_call_parallel':
      return { ...standard(), scenario: 'parallel' };
  }
}

// Small edits of the kind a careless paraphrase or a repeated generation makes.
const EDITS: ((text: string, rng: Rng, vocab: string[]) => string)[] = [
  (t) => t.toUpperCase(),
  (t) => t.replace(/,/g, ' ;').replace(/\?$/, '!!'),
  (t, r) => `${r.pick(['hi', 'hello', 'hey', 'ok'])} ${t}`,
  (t) => t.replace(/ /g, '  '),
  (t, r, v) => {
    const words = t.split(' ');
    words[r.int(0, words.length - 1)] = r.pick(v);
    return words.join(' ');
  },
];

/** A near-duplicate of `base`: its user turn edited, call arguments in another key order; Jaccard >= 0.9. */
function variantOf(ctx: Ctx, base: Sample, id: number): { sample: Sample; jaccard: number } {
  const baseShingles = shingles(dedupText(base), SHINGLE);
  const make = (edit: (t: string) => string): Sample => ({
    ...base,
    id: `row-${id}`,
    seedId: `row-${id}`,
    messages: base.messages.map((m) => {
      if (m.role === 'user') return { ...m, content: edit(m.content ?? '') };
      if (!m.tool_calls) return m;
      return { ...m, tool_calls: m.tool_calls.map((c) => ({ ...c, arguments: Object.fromEntries(Object.entries(c.arguments as Args).reverse()) })) };
    }),
  });
  for (let attempt = 0; attempt < 20; attempt++) {
    const edits = Array.from({ length: ctx.rng.int(1, 2) }, () => ctx.rng.pick(EDITS));
    const sample = make((t) => edits.reduce((acc, e) => e(acc, ctx.rng, ctx.vocab), t));
    const jaccard = exactJaccard(baseShingles, shingles(dedupText(sample), SHINGLE));
    if (jaccard >= 0.9) return { sample, jaccard };
  }
  return { sample: make((t) => t.toUpperCase()), jaccard: 1 };
}

function scenarioOf(rng: Rng): Scenario {
  const x = rng.next();
  return x < 0.7 ? 'standard' : x < 0.8 ? 'no_tool' : x < 0.9 ? 'parallel' : 'error';
}

/** `n` rows in order; the same options give the same rows. */
export function* plantedRows(n: number, opts: PlantedOptions = {}): Generator<PlantedRow> {
  const rng = createRng(opts.seed ?? 7);
  const ctx: Ctx = { rng, vocab: vocabulary(rng, 4000), shape: opts.shape ?? 'varied' };
  const dupShare = opts.duplicateShare ?? 0.1;
  const defectShare = opts.defectShare ?? 0.03;
  const maxGap = opts.maxGap ?? 5000;
  const due = new Map<number, PlantedRow[]>();
  const ready: PlantedRow[] = [];
  let defects = 0;
  for (let r = 0; r < n; r++) {
    const arriving = due.get(r);
    if (arriving) (ready.push(...arriving), due.delete(r));
    const next = ready.shift();
    if (next) {
      yield { ...next, sample: { ...next.sample, id: `row-${r}`, seedId: `row-${r}` } };
      continue;
    }
    // Defects are spread evenly over the kinds; none of them gets a near-duplicate.
    if (rng.bool(defectShare)) {
      const defect = DEFECTS[defects++ % DEFECTS.length];
      yield { sample: plantDefect(ctx, r, defect), family: r, defect };
      continue;
    }
    const base = baseSample(ctx, r, scenarioOf(rng));
    yield { sample: base, family: r };
    if (rng.bool(dupShare / (1 - dupShare))) {
      const v = variantOf(ctx, base, r);
      const at = r + rng.int(1, maxGap);
      const list = due.get(at) ?? [];
      list.push({ sample: v.sample, family: r, duplicateOf: r, jaccard: v.jaccard });
      due.set(at, list);
    }
  }
}
