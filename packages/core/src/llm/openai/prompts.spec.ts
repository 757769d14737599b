// Pins the rendered prompt of one case (a change to a prompt file or its assembly shows up here, and
// changes every request cache key), and checks the pure request-building helpers.
import type { PlanContext } from '../provider';
import { prompt, promptSection, systemPrompt } from './prompts';
import { earlierCalls, leftOutKey, simulatePrompt, userRequestPrompt } from './sample-prompts';
import type { Message, ToolDef } from '../../types';
import { completionBudget, isReasoningModel, modelParams, promptCacheKey } from './model-params';
import { apiName, functionSpec } from './tool-functions';
import { config, tool } from './spec-helpers';

const forecast = tool('get_forecast');
const ctx: PlanContext = {
  seed: 1234,
  scenario: 'ambiguous',
  persona: 'a nurse on night shifts',
  style: 'terse',
  tools: [forecast],
  targets: [forecast],
  argHints: [{ city: 'Porto', days: 3 }],
  stage: 'generate',
};

describe('rendered prompts', () => {
  it('pins the user-request prompt of an ambiguous sample (static system part first, per-sample part last)', () => {
    const system = systemPrompt(prompt('user-request'), [forecast]);
    expect(system.startsWith('You write the USER side of conversations')).toBe(true);
    expect(system).toContain('\n\n# Tools\n\n## get_forecast\nGet a daily forecast');
    expect(system).toContain(`Input schema: ${JSON.stringify(forecast.inputSchema)}`);
    expect(userRequestPrompt(ctx, [])).toBe(
      [
        'Scenario: ambiguous: Ask for what the tool does but leave out the value named under "Leave out", so that the assistant has to ask you for it.',
        'Persona: a nurse on night shifts',
        'Style: terse',
        'Values to mention:',
        '- for get_forecast: days = 3',
        'Leave out: city',
        'Variation: 1234',
        "Task: Write the user's message.",
      ].join('\n'),
    );
  });

  it('puts the values of every target in a standard or parallel request, and the history of a follow-up request', () => {
    const standard = userRequestPrompt({ ...ctx, scenario: 'standard' }, []);
    expect(standard).toContain('- for get_forecast: city = "Porto", days = 3');
    expect(standard).not.toContain('Leave out');
    const next = userRequestPrompt({ ...ctx, scenario: 'standard' }, [
      { role: 'user', content: 'Weather in Porto?' },
      { role: 'assistant', content: 'Sunny, 21 degrees.' },
    ]);
    expect(next).toContain('Scenario: multi_turn: Continue the conversation shown');
    expect(next).toContain('Conversation so far:\nUser: Weather in Porto?\nAssistant: Sunny, 21 degrees.');
  });

  it('has a section for every reply kind and every scenario', () => {
    for (const kind of ['final', 'direct', 'clarify', 'recover', 'followup']) expect(promptSection('reply-kinds', kind).length).toBeGreaterThan(20);
    for (const s of ['standard', 'no_tool', 'parallel', 'error', 'ambiguous', 'edge', 'multi_turn']) {
      expect(promptSection('scenarios', s).length).toBeGreaterThan(20);
      expect(promptSection('judge-scenarios', s).length).toBeGreaterThan(20);
    }
    expect(() => promptSection('scenarios', 'nope')).toThrow(/no section/);
  });

  it('leaves out a required value in an ambiguous request', () => {
    expect(leftOutKey(forecast, { days: 2, city: 'Oslo' })).toBe('city');
  });
});

describe('simulated results see the conversation so far', () => {
  const invoiceTool = (name: string, properties: Record<string, unknown>): ToolDef => ({ name, serverToolName: name, server: 0, description: name.replace('_', ' '), inputSchema: { type: 'object', properties } });
  const create = invoiceTool('create_invoice', { amount: { type: 'number' }, customer: { type: 'string' } });
  const get = invoiceTool('get_invoice', { invoice_id: { type: 'string', pattern: '^INV-\\d{6}$' } });
  const messages: Message[] = [
    { role: 'user', content: 'Bill Acme 50 euros, then show me the invoice.' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', name: 'create_invoice', arguments: { amount: 50, customer: 'Acme' } }] },
    { role: 'tool', tool_call_id: 'call_1', name: 'create_invoice', content: '{"status":"created","id":"INV-482913","amount":50,"customer":"Acme"}' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_2', name: 'get_invoice', arguments: { invoice_id: 'INV-482913' } }] },
  ];

  it("a later read's simulate request carries what an earlier write of the same conversation created", () => {
    const earlier = earlierCalls(messages);
    // The read itself has no result yet: only the write is state.
    expect(earlier).toEqual([{ tool: 'create_invoice', arguments: { amount: 50, customer: 'Acme' }, result: '{"status":"created","id":"INV-482913","amount":50,"customer":"Acme"}' }]);
    const text = simulatePrompt({ ...ctx, scenario: 'sequential', tools: [create, get], targets: [create, get] }, get, { invoice_id: 'INV-482913' }, false, messages);
    expect(text).toContain('Arguments: {"invoice_id":"INV-482913"}');
    expect(text).toContain('Earlier in this conversation:\n- create_invoice({"amount":50,"customer":"Acme"}) returned: {"status":"created","id":"INV-482913","amount":50,"customer":"Acme"}');
    expect(prompt('simulate-result')).toMatch(/a read of that id returns those values/);
  });

  it('says nothing about earlier calls at the start of a conversation', () => {
    expect(simulatePrompt(ctx, forecast, { city: 'Porto' }, false, [])).not.toContain('Earlier');
  });
});

describe('request parameters', () => {
  it('never sends temperature to reasoning models; sends it to chat models; reasoning_effort only to reasoning models', () => {
    const gen = config('generator:\n  temperature: 0.4\n  reasoningEffort: low\n  maxCompletionTokens: 900\n').generator;
    expect(modelParams(gen, 'gpt-5')).toEqual({ model: 'gpt-5', max_completion_tokens: 900, reasoning_effort: 'low' });
    expect(modelParams(gen, 'gpt-5-mini-2025-08-07')).not.toHaveProperty('temperature');
    expect(modelParams(gen, 'gpt-4o-mini')).toEqual({ model: 'gpt-4o-mini', max_completion_tokens: 900, temperature: 0.4 });
    expect(isReasoningModel('gpt-5-chat-latest')).toBe(false);
    expect(isReasoningModel('o3-mini')).toBe(true);
  });

  it('reserves per kind of request what it writes plus the reasoning allowance, never above maxCompletionTokens', () => {
    const gen = config('generator:\n  reasoningEffort: low\n').generator;
    expect(completionBudget(gen, 'gpt-5', 'user')).toBe(400 + 1024);
    expect(completionBudget(gen, 'gpt-5', 'result')).toBe(1500 + 1024);
    expect(completionBudget(gen, 'gpt-4.1-mini', 'judge')).toBe(600);
    expect(completionBudget(config('generator:\n  maxCompletionTokens: 900\n').generator, 'gpt-5', 'reply')).toBe(900);
    expect(completionBudget(gen, 'gpt-5')).toBe(4000);
  });

  it('keeps prompt_cache_key within 64 characters and stable', () => {
    expect(promptCacheKey('weather', 'generate', 'call', 'get_forecast')).toBe('weather:generate:call:get_forecast');
    const long = promptCacheKey('a-very-long-dataset-name-for-testing', 'generate', 'call', 'some_tool_with_a_long_name', 'another');
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toBe(promptCacheKey('a-very-long-dataset-name-for-testing', 'generate', 'call', 'some_tool_with_a_long_name', 'another'));
  });

  it('sends strict functions where the schema allows it, non-strict otherwise, under names the API accepts', () => {
    expect(functionSpec(forecast).strict).toBe(true);
    expect(functionSpec(forecast).definition.function.parameters).toMatchObject({ additionalProperties: false, required: ['city', 'days', 'units', 'include'] });
    const open = functionSpec({ name: 'tag', serverToolName: 'tag', server: 0, description: '', inputSchema: { type: 'object', properties: { m: { type: 'object', additionalProperties: true } } } });
    expect(open.strict).toBe(false);
    expect(open.reasons.length).toBeGreaterThan(0);
    expect(apiName('fs.read/file')).toMatch(/^fs_read_file_[0-9a-f]{8}$/);
    expect(apiName('x'.repeat(80)).length).toBeLessThanOrEqual(64);
  });
});
