import { SCENARIOS } from '../types';
import { ALL_SAMPLES, callsByTurn, SAMPLES, TOOLS } from './__fixtures__/samples';
import { fromHermes, toHermes } from './hermes';
import { TOOLS_PREAMBLE } from './prompt';

describe('toHermes', () => {
  it('covers every scenario in the fixtures', () => {
    expect(ALL_SAMPLES.map((s) => s.scenario).sort()).toEqual([...SCENARIOS].sort());
  });

  it('writes the row fields and a system prompt with the tools in OpenAI function shape', () => {
    const row = toHermes(SAMPLES.standard, TOOLS);
    expect(Object.keys(row)).toEqual(['id', 'source', 'scenario', 'tool_name', 'messages']);
    expect(row).toMatchObject({ id: 's-standard', source: 'seed', scenario: 'standard', tool_name: 'get_forecast' });
    const system = row.messages[0];
    expect(system.role).toBe('system');
    const inside = /<tools>\n([\s\S]*)\n<\/tools>/.exec(system.content)![1].split('\n').map((l) => JSON.parse(l));
    expect(inside.map((t) => t.function.name)).toEqual(['get_forecast', 'plot_series', 'list_alerts', 'server.ping']);
    expect(inside[0]).toEqual({
      type: 'function',
      function: {
        name: 'get_forecast',
        description: TOOLS[0].description,
        // template-safe (template-safe.ts): nullable unions become one type and "May be null."
        parameters: {
          type: 'object',
          properties: {
            city: { type: 'string', description: 'City name' },
            days: { type: 'integer', minimum: 1, maximum: 10, description: 'May be null.' },
            units: { type: 'string', enum: ['metric', 'imperial'], description: 'May be null.' },
          },
          required: ['city'],
          additionalProperties: false,
        },
      },
    });
    expect(Object.keys(inside[0].function)).toEqual(['name', 'description', 'parameters']);
    expect(inside[0].function.parameters.$schema).toBeUndefined();
    // tools without parameters still get an object schema with properties
    expect(inside[2].function.parameters).toEqual({ type: 'object', properties: {} });
    expect(inside[3].function).toEqual({ name: 'server.ping', description: 'Ping', parameters: { type: 'object', properties: {} } });
    expect(system.content).toContain('<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>');
  });

  it('writes calls as <tool_call> blocks with name then arguments, and results as tool messages', () => {
    const row = toHermes(SAMPLES.parallel, TOOLS);
    expect(row.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'tool', 'assistant']);
    expect(row.messages[2].content).toBe(
      'Let me fetch both.\n' +
        '<tool_call>\n{"name": "get_forecast", "arguments": {"city": "Oslo"}}\n</tool_call>\n' +
        '<tool_call>\n{"name": "plot_series", "arguments": {"points": [[1, 2], [3, 4.5]], "labels": ["a", ["b", "c"]], "style": {"color": "</tool_call>"}}}\n</tool_call>',
    );
    expect(row.messages[3].content).toBe('<tool_response>\n{"name": "get_forecast", "content": "Oslo: 3 °C, snow"}\n</tool_response>');
    expect(toHermes(SAMPLES.standard, TOOLS).messages[2].content).toBe(
      '<tool_call>\n{"name": "get_forecast", "arguments": {"city": "Zürich \\"Altstadt\\"", "days": null, "units": "metric"}}\n</tool_call>',
    );
  });

  it('keeps a sample system message ahead of the function-calling prompt', () => {
    const system = toHermes(SAMPLES.multi_turn, TOOLS).messages[0].content;
    expect(system.startsWith('You are a terse weather bot.\n\n' + TOOLS_PREAMBLE)).toBe(true);
  });

  it('rejects a sample that offers a tool missing from the tool list', () => {
    expect(() => toHermes({ ...SAMPLES.standard, tools: ['nope'] }, TOOLS)).toThrow(/offers tool "nope"/);
  });
});

describe('fromHermes', () => {
  it.each(ALL_SAMPLES.map((s) => [s.scenario, s] as const))('recovers the %s sample', (_name, sample) => {
    const back = fromHermes(JSON.parse(JSON.stringify(toHermes(sample, TOOLS))));
    expect(back.problems).toEqual([]);
    expect(callsByTurn(back.messages)).toEqual(callsByTurn(sample.messages));
    const strip = (ms: typeof sample.messages) => ms.map((m) => ({ role: m.role, content: m.content, name: m.name }));
    expect(strip(back.messages)).toEqual(strip(sample.messages));
    expect(back.tools.map((t) => t.name)).toEqual(sample.tools);
    expect(back).toMatchObject({ id: sample.id, scenario: sample.scenario, source: 'seed', tool_name: sample.tool_name });
    // tool results point at the calls they answer
    const ids = back.messages.flatMap((m) => m.tool_calls ?? []).map((c) => c.id);
    expect(back.messages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id)).toEqual(ids);
  });

  it('keeps unparseable blocks with arguments undefined and raw, and reports them', () => {
    const back = fromHermes({
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: '<tool_call>\n{"name": "get_forecast", "arguments": {"city": "Oslo"}\n</tool_call>\n<tool_call>\n{"name": "list_alerts", "arguments": {}}\n</tool_call>' },
      ],
    });
    const calls = back.messages[1].tool_calls!;
    expect(calls[0]).toMatchObject({ name: 'get_forecast', arguments: undefined, raw: '{"name": "get_forecast", "arguments": {"city": "Oslo"}' });
    expect(calls[1]).toMatchObject({ name: 'list_alerts', arguments: {} });
    expect(back.problems).toEqual([expect.stringMatching(/^messages\[1\]: <tool_call> block 1 is not valid JSON/)]);
  });

  it('reads external Nous-style rows: conversations, tools array, arguments first, object results', () => {
    const row = {
      id: 42,
      conversations: [
        { from: 'system', value: 'You are a function calling AI model.\n<tools>[{"name": "calc", "description": "d", "parameters": {"type": "object", "properties": {"x": {"type": "number"}}}}]</tools>' },
        { from: 'human', value: 'calc 2' },
        { from: 'gpt', value: '<tool_call>\n{"arguments": {"x": 2}, "name": "calc"}\n</tool_call>' },
        { from: 'tool', value: '<tool_response>\n{"name": "calc", "content": {"result": 4}}\n</tool_response>' },
        { from: 'gpt', value: 'It is 4.' },
      ],
    };
    const back = fromHermes(row);
    expect(back.problems).toEqual([]);
    expect(back.id).toBe('42');
    expect(back.tools).toEqual([{ name: 'calc', description: 'd', parameters: { type: 'object', properties: { x: { type: 'number' } } } }]);
    expect(back.messages[0]).toEqual({ role: 'system', content: row.conversations[0].value });
    expect(back.messages[2].tool_calls).toEqual([{ id: 'call_1', name: 'calc', arguments: { x: 2 } }]);
    expect(back.messages[3]).toEqual({ role: 'tool', content: '{"result":4}', name: 'calc', tool_call_id: 'call_1' });
  });

  it('reads rows without a system prompt, Qwen-style results in a user turn, and reports stray results', () => {
    const back = fromHermes({
      messages: [
        { role: 'user', content: 'two things' },
        { role: 'assistant', content: '<tool_call>\n{"name": "a", "arguments": "{\\"q\\": 1}"}\n</tool_call>\n<tool_call>\n{"name": "b"}\n</tool_call>' },
        { role: 'user', content: '<tool_response>\nA\n</tool_response>\n<tool_response>\nB\n</tool_response>' },
        { role: 'tool', content: '<tool_response>\nlate\n</tool_response>' },
        { role: 'assistant', content: 'done' },
      ],
    });
    expect(back.tools).toEqual([]);
    expect(back.messages[1].tool_calls!.map((c) => [c.name, c.arguments])).toEqual([['a', { q: 1 }], ['b', {}]]);
    expect(back.messages.slice(2, 5).map((m) => [m.role, m.content, m.name])).toEqual([['tool', 'A', 'a'], ['tool', 'B', 'b'], ['tool', 'late', undefined]]);
    expect(back.problems).toEqual([
      'messages[1]: <tool_call> block 1 has its arguments encoded as a JSON string',
      'messages[4]: tool result answers no pending call',
    ]);
  });

  it('reports a row with no messages instead of throwing', () => {
    expect(fromHermes('nonsense').problems).toEqual(['row has neither "messages" nor "conversations"']);
  });
});
