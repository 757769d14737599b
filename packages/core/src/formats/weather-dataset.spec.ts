// Acceptance (issue 5): a real offline build of a weather dataset, every scenario, checked as a trainer
// would load it. Every accepted sample survives the chat template; the openai files have the shape of
// the OpenAI fine-tuning API; the sharegpt and hermes files say the same calls as the openai ones.
import { SCENARIOS, type JsonSchema, type Sample } from '../types';
import { validateAgainst } from '../schema/validator';
import { roundTrip } from './chat-template';
import { fromHermes } from './hermes';
import { fromOpenAI } from './openai';
import { fromShareGPT } from './sharegpt';
import { isPlainObject, tryParseJson } from './json';
import type { ParsedSample } from './types';
import { buildWeatherDataset, type WeatherBuild } from './weather-build';
import { openAIRowProblems } from './openai-shape';

let build: WeatherBuild;
beforeAll(async () => {
  build = await buildWeatherDataset({ samples: 100, factor: 3 });
}, 60_000);
afterAll(() => build?.cleanup());

/** The calls of each assistant turn, as {name, arguments}. */
function callTurns(p: Pick<ParsedSample, 'messages'>): { name: string; arguments: unknown }[][] {
  return p.messages.filter((m) => m.role === 'assistant').map((m) => (m.tool_calls ?? []).map((c) => ({ name: c.name, arguments: c.arguments })));
}

describe('the weather dataset through the chat template', () => {
  it('renders every accepted sample and parses its tool calls back exactly', () => {
    const failures: string[] = [];
    for (const s of build.accepted) {
      const r = roundTrip(s, build.tools);
      if (!r.ok) failures.push(`${s.id} (${s.scenario}): ${r.problems.join('; ')}`);
    }
    expect(failures).toEqual([]);
    expect(build.accepted.length).toBeGreaterThanOrEqual(200);
  });

  it('covers every scenario, from seeds and from augmentation, with tool calls where the scenario has them', () => {
    const seen = new Set(build.accepted.map((s) => s.scenario));
    expect([...seen].sort()).toEqual([...SCENARIOS].sort());
    expect(build.accepted.some((s) => s.source === 'augmented')).toBe(true);
    const calls = (s: Sample) => s.messages.flatMap((m) => m.tool_calls ?? []);
    const of = (sc: string) => build.accepted.filter((s) => s.scenario === sc);
    expect(of('parallel').every((s) => s.messages.some((m) => (m.tool_calls?.length ?? 0) >= 2))).toBe(true);
    expect(of('no_tool').every((s) => calls(s).length === 0)).toBe(true);
    expect(of('multi_turn').every((s) => s.messages.filter((m) => m.role === 'user').length >= 2)).toBe(true);
    expect(of('standard').every((s) => calls(s).length >= 1)).toBe(true);
  });
});

describe('openai/*.jsonl against the OpenAI fine-tuning shape', () => {
  it.each(['openai/train.jsonl', 'openai/eval.jsonl'])('%s: every row is a valid fine-tuning row', (file) => {
    const rows = build.rows(file);
    expect(rows.length).toBeGreaterThan(0);
    const problems = rows.flatMap((row, i) => openAIRowProblems(row).map((p) => `${file}:${i + 1}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('validates every call against the parameters of the tool the row offers (arguments are JSON strings)', () => {
    let checked = 0;
    const failures: string[] = [];
    for (const file of ['openai/train.jsonl', 'openai/eval.jsonl']) {
      build.rows(file).forEach((row, i) => {
        const params = new Map<string, unknown>(row.tools.map((t: any) => [t.function.name, t.function.parameters]));
        for (const m of row.messages) {
          for (const c of m.tool_calls ?? []) {
            expect(typeof c.function.arguments).toBe('string');
            const parsed = tryParseJson(c.function.arguments);
            const v = parsed.ok ? validateAgainst(params.get(c.function.name) as JsonSchema, parsed.value) : { valid: false, errors: ['not JSON'] };
            if (!v.valid) failures.push(`${file}:${i + 1} ${c.function.name}: ${v.errors.join('; ')}`);
            checked++;
          }
        }
      });
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('the shape check catches what the API rejects', () => {
    const good = build.rows('openai/train.jsonl').find((r) => r.messages.some((m: any) => m.tool_calls?.length >= 2))!;
    expect(openAIRowProblems(good)).toEqual([]);
    const copy = () => JSON.parse(JSON.stringify(good));
    const callTurn = (r: any) => r.messages.find((m: any) => m.tool_calls);
    const broken: [string, (r: any) => void, RegExp][] = [
      ['object arguments', (r) => (callTurn(r).tool_calls[0].function.arguments = {}), /arguments/],
      ['unanswered call', (r) => r.messages.splice(r.messages.indexOf(callTurn(r)) + 1, 1), /not answered|answers/],
      ['answer to no call', (r) => (r.messages.find((m: any) => m.role === 'tool').tool_call_id = 'call_nope'), /call_nope/],
      ['unknown function', (r) => (callTurn(r).tool_calls[0].function.name = 'get_moon'), /get_moon/],
      ['last turn not assistant', (r) => r.messages.push({ role: 'user', content: 'thanks' }), /last message/],
      ['bad role', (r) => (r.messages[0].role = 'developer'), /role/],
      ['bare tool', (r) => (r.tools[0] = r.tools[0].function), /tools\[0\]/],
      ['missing type', (r) => delete callTurn(r).tool_calls[0].type, /type/],
    ];
    for (const [what, breakIt, expected] of broken) {
      const r = copy();
      breakIt(r);
      const p = openAIRowProblems(r);
      expect({ what, found: p.some((x) => expected.test(x)) }).toEqual({ what, found: true });
    }
  });
});

describe('the three formats say the same calls', () => {
  it.each(['train', 'eval'])('%s: sharegpt and openai rows parse back to the calls of the hermes row with the same id', (split) => {
    const hermes = build.rows(`hermes/${split}.jsonl`);
    const openai = build.rows(`openai/${split}.jsonl`);
    const sharegpt = build.rows(`sharegpt/${split}.jsonl`);
    expect(openai).toHaveLength(hermes.length);
    expect(sharegpt).toHaveLength(hermes.length);
    const byId = new Map(build.accepted.map((s) => [s.id, s]));
    const failures: string[] = [];
    hermes.forEach((h, i) => {
      const sample = byId.get(h.id);
      if (!sample) return failures.push(`hermes row ${h.id} is not an accepted sample`);
      const parsed = { hermes: fromHermes(h), openai: fromOpenAI(openai[i]), sharegpt: fromShareGPT(sharegpt[i]) };
      const expected = callTurns(sample).filter((t) => t.length > 0);
      for (const [format, p] of Object.entries(parsed)) {
        if (p.problems.length) failures.push(`${h.id} ${format}: ${p.problems.join('; ')}`);
        // ShareGPT has no slot for assistant text said before calls, so compare the call turns only.
        const got = callTurns(p).filter((t) => t.length > 0);
        if (JSON.stringify(got) !== JSON.stringify(expected)) failures.push(`${h.id} ${format}: calls differ from the sample's`);
        // The tools a row shows (Hermes system prompt, openai `tools`, sharegpt `tools`) are the ones offered.
        if (JSON.stringify(p.tools.map((t) => t.name)) !== JSON.stringify(sample.tools)) failures.push(`${h.id} ${format}: tools ${p.tools.map((t) => t.name)} != ${sample.tools}`);
      }
      if (JSON.stringify(parsed.hermes.tools) !== JSON.stringify(parsed.sharegpt.tools) || JSON.stringify(parsed.openai.tools) !== JSON.stringify(parsed.hermes.tools)) {
        failures.push(`${h.id}: the formats describe the tools differently`);
      }
    });
    expect(failures).toEqual([]);
  });

  it('sharegpt rows follow the turn order LLaMA-Factory requires, and carry the tools as a JSON string', () => {
    const failures: string[] = [];
    for (const file of ['sharegpt/train.jsonl', 'sharegpt/eval.jsonl']) {
      build.rows(file).forEach((row, i) => {
        const turns = row.conversations as { from: string; value: string }[];
        const body = turns[0]?.from === 'system' ? turns.slice(1) : turns;
        body.forEach((t, k) => {
          const ok = k % 2 === 0 ? ['human', 'observation'].includes(t.from) : ['gpt', 'function_call'].includes(t.from);
          if (!ok) failures.push(`${file}:${i + 1} turn ${k}: "${t.from}" out of place`);
        });
        if (body.length % 2 !== 0) failures.push(`${file}:${i + 1}: ends on a ${body[body.length - 1]?.from} turn`);
        const tools = typeof row.tools === 'string' ? tryParseJson(row.tools) : { ok: false as const };
        if (!tools.ok || !Array.isArray(tools.value) || !tools.value.every((t) => isPlainObject(t) && typeof t.name === 'string' && isPlainObject(t.parameters))) {
          failures.push(`${file}:${i + 1}: tools is not a JSON list of {name, description, parameters}`);
        }
      });
    }
    expect(failures).toEqual([]);
  });
});
