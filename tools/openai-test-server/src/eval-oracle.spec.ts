// Evaluation mode through the real SDK over HTTP: truth echoed, known breaks, text models, control.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { optionsFromArgs } from './cli-options';
import { startTestServer, type TestServer } from './server';

const fn = (name: string) => ({ name, parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city', 'days'] } });
const row = (i: number, calls: boolean) => ({
  id: `r${i}`,
  category: calls ? 'standard' : 'no_tool',
  functions: [fn('get_forecast'), fn('get_alerts')],
  messages: [
    { role: 'user', content: `question ${i}` },
    calls ? { role: 'assistant', content: null, tool_calls: [{ id: 'c', name: 'get_forecast', arguments: { city: 'Oslo', days: i } }] } : { role: 'assistant', content: 'No tool needed.' },
  ],
  turns: [{ at: 1, expect: calls ? 'calls' : 'no_call', calls: calls ? [{ get_forecast: { city: ['Oslo'], days: [i], units: ['', 'metric'] } }] : [] }],
});
const rows = Array.from({ length: 40 }, (_, i) => row(i, i % 4 !== 0));
const tools = rows[0].functions.map((f) => ({ type: 'function' as const, function: f }));

describe('evaluation mode', () => {
  let server: TestServer;
  let client: OpenAI;
  beforeAll(async () => {
    server = await startTestServer();
    client = new OpenAI({ apiKey: 'k', baseURL: server.url, maxRetries: 0 });
  });
  afterAll(() => server.close());
  const ask = (model: string, i: number) => client.chat.completions.create({ model, messages: [{ role: 'user', content: `question ${i}` }], tools });

  it('answers a truth conversation with its expected calls (omittable parameters left out), others as usual', async () => {
    const set = await fetch(`${server.url.replace(/\/v1$/, '')}/_eval`, { method: 'POST', body: JSON.stringify({ rows, broken: { 'gpt-5-nano': 1 }, textModels: ['gpt-4.1'] }) });
    expect(((await set.json()) as { turns: number }).turns).toBe(40);
    const r = await ask('gpt-5-mini', 3);
    expect(r.choices[0].message.tool_calls?.map((c) => c.type === 'function' && [c.function.name, JSON.parse(c.function.arguments)])).toEqual([['get_forecast', { city: 'Oslo', days: 3 }]]);
    expect((await ask('gpt-5-mini', 4)).choices[0].message.tool_calls).toBeUndefined();
    const text = await ask('gpt-4.1', 5);
    expect(text.choices[0].message.content).toBe('<tool_call>\n{"name":"get_forecast","arguments":{"city":"Oslo","days":5}}\n</tool_call>');
    const other = await client.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: 'something else' }] });
    expect(typeof other.choices[0].message.content).toBe('string');
    expect(server.evalReport()).toMatchObject({ answered: 3, broken: [] });
  });

  it('breaks every turn of a model with share 1, in each known way, and lists what it broke', async () => {
    for (let i = 0; i < 40; i++) {
      const r = await ask('gpt-5-nano', i);
      const b = server.evalReport()!.broken.at(-1)!;
      expect([b.id, b.at, b.model]).toEqual([`r${i}`, 1, 'gpt-5-nano']);
      const calls = (r.choices[0].message.tool_calls ?? []).map((c) => (c.type === 'function' ? { name: c.function.name, args: JSON.parse(c.function.arguments) } : null));
      if (b.kind === 'call_on_irrelevance') expect(calls).toHaveLength(1);
      if (b.kind === 'wrong_function') expect(calls[0]!.name).toBe('get_alerts');
      if (b.kind === 'extra_param') expect(calls[0]!.args).toEqual({ city: 'Oslo', days: i, unexpected_extra: true });
      if (b.kind === 'missing_param') expect(calls[0]!.args).toEqual({ days: i });
      if (b.kind === 'wrong_value') expect(calls[0]!.args).toEqual({ city: 'Oslo (changed)', days: i });
    }
    expect(new Set(server.evalReport()!.broken.map((b) => b.kind))).toEqual(new Set(['call_on_irrelevance', 'wrong_function', 'extra_param', 'missing_param', 'wrong_value']));
    await fetch(`${server.url.replace(/\/v1$/, '')}/_eval`, { method: 'POST', body: JSON.stringify({ off: true }) });
    expect(server.evalReport()).toBeNull();
  });

  it('loads a truth file from the command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oracle-'));
    try {
      const file = join(dir, 'eval.truth.jsonl');
      writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
      expect(optionsFromArgs(['--eval-truth', file, '--eval-broken', '0.3', '--eval-text-models', 'a, b']).eval).toEqual({ rows, broken: { '*': 0.3 }, textModels: ['a', 'b'] });
      expect(() => optionsFromArgs(['--eval-broken', '0.3'])).toThrow('--eval-broken and --eval-text-models need --eval-truth FILE.');
      expect(() => optionsFromArgs(['--eval-truth', join(dir, 'nope.jsonl')])).toThrow(/cannot read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
