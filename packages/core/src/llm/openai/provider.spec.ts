// Every provider method through the real openai SDK over HTTP to the test server (which rejects what
// OpenAI rejects: temperature on gpt-5, strict schemas that break the rules, unanswered tool calls).
import type { Message, Sample, ToolDef } from '../../types';
import { validateAgainst } from '../../schema/validator';
import { chatRequests, context, harness, tool, weatherTools, type Harness } from './spec-helpers';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.done());

const tools = weatherTools();

describe('OpenAIProvider tool calls', () => {
  it.each(tools.map((t) => t.name))('calls %s with arguments valid for its ORIGINAL schema (gpt-5, temperature configured but not sent)', async (name) => {
    const p = h.provider({ yaml: '  temperature: 0.7\n' });
    const t = tool(name);
    const ctx = context([t], 'standard');
    const calls = await p.toolCalls(ctx, [{ role: 'user', content: await p.userRequest(ctx) }]);
    expect(calls).toHaveLength(1);
    expect(calls[0].name).toBe(name);
    expect(validateAgainst(t.inputSchema, calls[0].arguments).errors).toEqual([]);
  });

  it('makes two calls in one turn for a parallel sample', async () => {
    const p = h.provider();
    const targets = [tool('get_forecast'), tool('get_current_weather')];
    const ctx = context(targets, 'parallel');
    const calls = await p.toolCalls(ctx, [{ role: 'user', content: 'The forecast for Oslo, and the current weather in Rome.' }]);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const c of calls) {
      const t = targets.find((x) => x.name === c.name)!;
      expect(validateAgainst(t.inputSchema, c.arguments).valid).toBe(true);
    }
  });

  it('sends a multi-turn history (assistant calls as JSON strings, tool results by tool_call_id)', async () => {
    const p = h.provider();
    const first = tool('get_current_weather');
    const next = tool('get_forecast');
    const history: Message[] = [
      { role: 'user', content: 'How warm is it in Lima?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', name: first.name, arguments: { city: 'Lima' } }] },
      { role: 'tool', tool_call_id: 'call_1', name: first.name, content: '{"temperature": 19}' },
      { role: 'assistant', content: 'It is 19 degrees in Lima.' },
      { role: 'user', content: 'And the next three days?' },
    ];
    const calls = await p.toolCalls(context([next], 'standard'), history);
    expect(calls[0].name).toBe('get_forecast');
    expect(validateAgainst(next.inputSchema, calls[0].arguments).valid).toBe(true);
  });

  it('handles schemas that cannot be strict and non-object roots, validating against the originals', async () => {
    const odd: ToolDef[] = [
      { name: 'set_labels', serverToolName: 'set_labels', server: 0, description: 'Set labels', inputSchema: { type: 'object', properties: { labels: { type: 'object', additionalProperties: { type: 'string' } } }, required: ['labels'] } },
      { name: 'echo.text', serverToolName: 'echo.text', server: 0, description: 'Echo a string', inputSchema: { type: 'string', minLength: 2 } },
      {
        name: 'find_item',
        serverToolName: 'find_item',
        server: 0,
        description: 'Find an item by id or name',
        inputSchema: { type: 'object', properties: { by: { oneOf: [{ type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] }, { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }] }, limit: { type: ['integer', 'null'] } }, required: ['by'] },
      },
    ];
    const p = h.provider();
    for (const t of odd) {
      const calls = await p.toolCalls(context([t], 'standard', 3, odd), [{ role: 'user', content: `Please use ${t.description}.` }]);
      expect(calls[0].name).toBe(t.name);
      expect({ tool: t.name, errors: validateAgainst(t.inputSchema, calls[0].arguments).errors }).toEqual({ tool: t.name, errors: [] });
    }
  });
});

describe('OpenAIProvider text and structured outputs', () => {
  it('writes user requests, every reply kind and paraphrases as text', async () => {
    const p = h.provider();
    const t = tool('get_forecast');
    for (const scenario of ['standard', 'no_tool', 'ambiguous', 'edge', 'error'] as const) {
      expect((await p.userRequest(context([t], scenario))).length).toBeGreaterThan(0);
    }
    const ctx = context([t], 'standard');
    const messages: Message[] = [
      { role: 'user', content: 'Forecast for Oslo, 3 days?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', name: t.name, arguments: { city: 'Oslo', days: 3 } }] },
      { role: 'tool', tool_call_id: 'c1', name: t.name, content: '{"days": []}' },
    ];
    for (const kind of ['final', 'direct', 'clarify', 'recover', 'followup'] as const) {
      expect(typeof (await p.reply(ctx, messages, kind))).toBe('string');
    }
    expect((await p.paraphrase('What is the forecast for Oslo?', 3, 'terse')).length).toBeGreaterThan(0);
  });

  it('simulates results that conform to the outputSchema, plain results, and failures', async () => {
    const p = h.provider();
    const withOutput = tool('get_current_weather');
    expect(withOutput.outputSchema).toBeDefined();
    const ctx = context([withOutput], 'standard');
    const call = { id: 'c1', name: withOutput.name, arguments: ctx.argHints[0] };
    const result = JSON.parse(await p.simulateResult(ctx, withOutput, call, false));
    expect(validateAgainst(withOutput.outputSchema!, result).errors).toEqual([]);
    const plain = tool('list_alerts');
    expect(typeof (await p.simulateResult(context([plain], 'standard'), plain, { id: 'c2', name: plain.name, arguments: {} }, false))).toBe('string');
    const failure = await p.simulateResult(ctx, withOutput, call, true);
    expect(failure.length).toBeGreaterThan(0);
  });

  it('judges a sample with a score in [0, 1] and reasons', async () => {
    const p = h.provider({ model: 'gpt-5-mini', stage: 'judge' });
    const sample: Sample = {
      id: 's1',
      seedId: 's1',
      source: 'seed',
      scenario: 'standard',
      tool_name: 'get_forecast',
      tools: ['get_forecast'],
      messages: [
        { role: 'user', content: 'Forecast for Oslo?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', name: 'get_forecast', arguments: { city: 'Oslo' } }] },
        { role: 'tool', tool_call_id: 'c1', name: 'get_forecast', content: '{"days": [{"high": 4}]}' },
        { role: 'assistant', content: 'Highs around 4 degrees in Oslo.' },
      ],
      meta: { provider: 'openai', model: 'gpt-5', seed: 1 },
    };
    const verdict = await p.judge(sample, tools);
    expect(verdict.score).toBeGreaterThanOrEqual(0);
    expect(verdict.score).toBeLessThanOrEqual(1);
    expect(Array.isArray(verdict.reasons)).toBe(true);
    expect(p.model).toBe('gpt-5-mini');
  });

  it('counts usage per instance, and a second provider gets everything from the request cache', async () => {
    const first = h.provider({ stage: 'usage-test' });
    const ctx = context([tool('get_forecast')], 'standard', 99);
    const text = await first.userRequest(ctx);
    const u = first.usage();
    expect(u.requests).toBe(1);
    expect(u.promptTokens).toBeGreaterThan(0);
    expect(u.completionTokens).toBeGreaterThan(0);
    expect(u.usd).toBeGreaterThan(0);
    const before = chatRequests(h.server);
    const second = h.provider({ stage: 'usage-test' });
    expect(await second.userRequest(ctx)).toBe(text);
    expect(chatRequests(h.server)).toBe(before);
    expect(second.usage()).toMatchObject({ requests: 0, cacheHits: 1, usd: 0 });
  });
});

describe('OpenAIProvider simulated results keep the conversation state', () => {
  it('returns, for a read of an id an earlier write created, the values that write gave it', async () => {
    const p = h.provider();
    const def = (name: string, properties: Record<string, unknown>): ToolDef => ({ name, serverToolName: name, server: 0, description: name.replace('_', ' '), inputSchema: { type: 'object', properties } });
    const create = def('create_invoice', { amount: { type: 'number' }, customer: { type: 'string' } });
    const get = def('get_invoice', { invoice_id: { type: 'string' } });
    const ctx = { ...context([create, get], 'sequential'), tools: [create, get] };
    const created = JSON.parse(await p.simulateResult(ctx, create, { id: 'c1', name: 'create_invoice', arguments: { amount: 50, customer: 'Acme' } }, false));
    expect(created).toMatchObject({ amount: 50, customer: 'Acme' });
    expect(typeof created.id).toBe('string');
    const history: Message[] = [
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', name: 'create_invoice', arguments: { amount: 50, customer: 'Acme' } }] },
      { role: 'tool', tool_call_id: 'c1', name: 'create_invoice', content: JSON.stringify(created) },
    ];
    const read = JSON.parse(await p.simulateResult(ctx, get, { id: 'c2', name: 'get_invoice', arguments: { invoice_id: created.id } }, false, history));
    expect(read).toMatchObject({ invoice_id: created.id, amount: 50, customer: 'Acme' });
    // Without the earlier call the same read knows nothing of that invoice.
    const blind = JSON.parse(await p.simulateResult(ctx, get, { id: 'c2', name: 'get_invoice', arguments: { invoice_id: created.id } }, false));
    expect(blind.customer).toBeUndefined();
  });
});
