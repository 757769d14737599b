import { Template } from '@huggingface/jinja';
import { ALL_SAMPLES, callsByTurn, SAMPLES, TOOLS } from './__fixtures__/samples';
import { CHAT_TEMPLATE, parseToolCalls, renderChat, renderPlainChatML, roundTrip } from './chat-template';
import { toHermes } from './hermes';
import { toOpenAI } from './openai';
import { toFunctionTool } from './tools';

describe('chat template', () => {
  it.each(ALL_SAMPLES.map((s) => [s.scenario, s] as const))('round-trips the calls of %s', (_name, sample) => {
    expect(roundTrip(sample, TOOLS)).toEqual({ ok: true, problems: [] });
    const rendered = renderChat(toOpenAI(sample, TOOLS));
    expect(parseToolCalls(rendered)).toEqual(callsByTurn(sample.messages));
  });

  it.each(ALL_SAMPLES.map((s) => [s.scenario, s] as const))('renders %s exactly as its Hermes row in plain ChatML', (_name, sample) => {
    expect(renderChat(toOpenAI(sample, TOOLS))).toBe(renderPlainChatML(toHermes(sample, TOOLS).messages));
  });

  it('writes every tool whole as JSON (template-safe): nullable unions, nested arrays, no parameters', () => {
    const rendered = renderChat(toOpenAI(SAMPLES.standard, TOOLS));
    expect(rendered.startsWith('<|im_start|>system\n')).toBe(true);
    const lines = /<tools>\n([\s\S]*?)\n<\/tools>/.exec(rendered)![1].split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(JSON.parse(JSON.stringify(TOOLS.map(toFunctionTool))));
    expect(lines[0]).toContain('"days": {"type": "integer", "minimum": 1, "maximum": 10, "description": "May be null."}');
    expect(lines[1]).toContain('"items": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}');
    expect(lines[2]).toBe('{"type": "function", "function": {"name": "list_alerts", "description": "List active weather alerts.", "parameters": {"type": "object", "properties": {}}}}');
  });

  it('renders the turns in ChatML with results in tool turns (or user turns, Qwen style)', () => {
    const row = toOpenAI(SAMPLES.standard, TOOLS);
    const rendered = renderChat(row, { addGenerationPrompt: true });
    const afterSystem = rendered.slice(rendered.indexOf('<|im_end|>\n') + '<|im_end|>\n'.length);
    expect(afterSystem).toBe(
      '<|im_start|>user\nForecast for Zürich "Altstadt", metric please.<|im_end|>\n' +
        '<|im_start|>assistant\n<tool_call>\n{"name": "get_forecast", "arguments": {"city": "Zürich \\"Altstadt\\"", "days": null, "units": "metric"}}\n</tool_call><|im_end|>\n' +
        '<|im_start|>tool\n<tool_response>\n{"name": "get_forecast", "content": "{\\"temp\\": 21.5, \\"sky\\": \\"clear\\"}"}\n</tool_response><|im_end|>\n' +
        '<|im_start|>assistant\nIt will be 21.5 °C and clear in Zürich.<|im_end|>\n' +
        '<|im_start|>assistant\n',
    );
    expect(renderChat(row, { toolResponseRole: 'user' })).toContain('<|im_start|>user\n<tool_response>\n{"name": "get_forecast"');
  });

  it('never double-encodes string arguments and handles bare tools, null content and missing arguments', () => {
    // Straight through the template, as a trainer would call it with OpenAI rows.
    const out = new Template(CHAT_TEMPLATE).render({
      tools: [{ name: 'f', description: 'q"uote', parameters: { type: 'object', properties: {} } }],
      messages: [
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a": [1, [2]]}' } },
            { id: 'c2', type: 'function', function: { name: 'f' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c2', content: 'ok' },
      ],
    });
    expect(out).toContain('{"type": "function", "function": {"name": "f", "description": "q\\"uote", "parameters": {"type": "object", "properties": {}}}}');
    expect(out).toContain('<|im_start|>assistant\n<tool_call>\n{"name": "f", "arguments": {"a": [1, [2]]}}\n</tool_call>\n<tool_call>\n{"name": "f", "arguments": {}}\n</tool_call><|im_end|>');
    expect(out).toContain('<tool_response>\n{"name": "f", "content": "ok"}\n</tool_response>');
    expect(parseToolCalls(out)).toEqual([[{ name: 'f', arguments: { a: [1, [2]] } }, { name: 'f', arguments: {} }]]);
  });

  it('handles BFCL-style schemas: "dict" roots, tuple and float types, dotted names, defaults', () => {
    const tools = [
      {
        name: 'geo.distance',
        serverToolName: 'geo.distance',
        server: 0,
        description: 'Distance between two points.\nUses the haversine formula.',
        inputSchema: {
          type: 'dict',
          properties: {
            a: { type: 'tuple', items: { type: 'float' }, description: 'First point (lat, lon).' },
            b: { type: 'tuple', items: { type: 'float' } },
            unit: { type: 'string', enum: ['km', 'mi'], default: 'km' },
            extra: { type: 'any', optional: true },
          },
          required: ['a', 'b'],
        },
      },
    ];
    const sample = {
      ...SAMPLES.standard,
      tools: ['geo.distance'],
      messages: [
        { role: 'user' as const, content: 'Distance from (1.5, 2) to (3, -4.25)?' },
        { role: 'assistant' as const, content: null, tool_calls: [{ id: 'c', name: 'geo.distance', arguments: { a: [1.5, 2], b: [3, -4.25], extra: { nested: [[{}], []] } } }] },
        { role: 'tool' as const, tool_call_id: 'c', name: 'geo.distance', content: '712.3' },
        { role: 'assistant' as const, content: 'About 712 km.' },
      ],
    };
    expect(roundTrip(sample, tools)).toEqual({ ok: true, problems: [] });
    const rendered = renderChat(toOpenAI(sample, tools));
    // Python type names become JSON types (template-safe.ts): dict -> object, tuple -> array, float -> number.
    expect(rendered).toContain('"parameters": {"type": "object", "properties": {"a": {"type": "array", "items": {"type": "number"}');
    expect(rendered).toContain('"description": "Distance between two points.\\nUses the haversine formula."');
  });

  it('renders a conversation without tools as plain ChatML', () => {
    const out = renderChat({ tools: [], messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'U' }, { role: 'assistant', content: 'A' }] });
    expect(out).toBe('<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\nA<|im_end|>\n');
  });

  it('reports calls that do not survive rendering', () => {
    const nan = { ...SAMPLES.standard, messages: SAMPLES.standard.messages.map((m) => (m.tool_calls ? { ...m, tool_calls: [{ ...m.tool_calls[0], arguments: { city: 'X', days: NaN } }] } : m)) };
    const bad = roundTrip(nan, TOOLS);
    expect(bad.ok).toBe(false);
    expect(bad.problems).toContain('chat template: turn 1 call 1 (get_forecast) arguments do not parse back equal');
    const unparsed = { ...SAMPLES.standard, messages: SAMPLES.standard.messages.map((m) => (m.tool_calls ? { ...m, tool_calls: [{ ...m.tool_calls[0], arguments: undefined, raw: '{"city": ' }] } : m)) };
    expect(roundTrip(unparsed, TOOLS).ok).toBe(false);
  });
});
