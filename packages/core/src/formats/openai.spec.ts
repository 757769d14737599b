import { ALL_SAMPLES, callsByTurn, SAMPLES, TOOLS } from './__fixtures__/samples';
import { fromOpenAI, toOpenAI } from './openai';

describe('toOpenAI', () => {
  it.each(ALL_SAMPLES.map((s) => [s.scenario, s] as const))('writes the fine-tuning shape for %s', (_name, sample) => {
    const row = JSON.parse(JSON.stringify(toOpenAI(sample, TOOLS)));
    expect(Object.keys(row).filter((k) => k !== 'parallel_tool_calls')).toEqual(['messages', 'tools']);
    for (const t of row.tools) {
      expect(Object.keys(t)).toEqual(['type', 'function']);
      expect(t.type).toBe('function');
      expect(t.function.parameters.type).toBe('object');
    }
    const pending: string[] = [];
    for (const m of row.messages) {
      expect(['system', 'user', 'assistant', 'tool']).toContain(m.role);
      if (m.role === 'assistant' && m.tool_calls) {
        expect(m.content === null || typeof m.content === 'string').toBe(true);
        for (const c of m.tool_calls) {
          expect(Object.keys(c)).toEqual(['id', 'type', 'function']);
          expect(c.type).toBe('function');
          expect(typeof c.function.arguments).toBe('string');
          JSON.parse(c.function.arguments);
          pending.push(c.id);
        }
      } else if (m.role === 'tool') {
        expect(Object.keys(m).sort()).toEqual(['content', 'role', 'tool_call_id']);
        expect(m.tool_call_id).toBe(pending.shift());
      } else {
        expect(typeof m.content).toBe('string');
        expect(m.tool_calls).toBeUndefined();
      }
    }
    expect(pending).toEqual([]);
  });

  it('sets parallel_tool_calls only on rows with several calls in one turn', () => {
    expect(toOpenAI(SAMPLES.parallel, TOOLS).parallel_tool_calls).toBe(true);
    expect(toOpenAI(SAMPLES.edge, TOOLS).parallel_tool_calls).toBe(true);
    expect('parallel_tool_calls' in toOpenAI(SAMPLES.standard, TOOLS)).toBe(false);
    expect('parallel_tool_calls' in toOpenAI(SAMPLES.no_tool, TOOLS)).toBe(false);
  });

  it('writes content null for a call-only turn and keeps text said before calls', () => {
    const std = toOpenAI(SAMPLES.standard, TOOLS).messages[1];
    expect(std).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'get_forecast', arguments: '{"city":"Zürich \\"Altstadt\\"","days":null,"units":"metric"}' } }],
    });
    expect(toOpenAI(SAMPLES.parallel, TOOLS).messages[1]).toMatchObject({ content: 'Let me fetch both.' });
    expect(toOpenAI(SAMPLES.multi_turn, TOOLS).messages[0]).toEqual({ role: 'system', content: 'You are a terse weather bot.' });
    expect(toOpenAI(SAMPLES.standard, TOOLS).messages[0].role).toBe('user');
  });
});

describe('fromOpenAI', () => {
  it.each(ALL_SAMPLES.map((s) => [s.scenario, s] as const))('recovers the %s sample', (_name, sample) => {
    const back = fromOpenAI(JSON.parse(JSON.stringify(toOpenAI(sample, TOOLS))));
    expect(back.problems).toEqual([]);
    expect(callsByTurn(back.messages)).toEqual(callsByTurn(sample.messages));
    expect(back.messages.map((m) => [m.role, m.content, m.tool_call_id, m.name])).toEqual(
      sample.messages.map((m) => [m.role, m.content, m.tool_call_id, m.name]),
    );
    expect(back.tools.map((t) => t.name)).toEqual(sample.tools);
  });

  it('accepts object arguments, content parts and bare tools; reports bad arguments', () => {
    const back = fromOpenAI({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
        {
          role: 'assistant',
          tool_calls: [
            { id: 'x', type: 'function', function: { name: 'f', arguments: { k: 1 } } },
            { type: 'function', function: { name: 'g', arguments: '{oops' } },
          ],
        },
        { role: 'tool', tool_call_id: 'x', content: 'r1' },
        { role: 'tool', content: 'r2' },
        { role: 'robot', content: '?' },
      ],
      tools: [{ name: 'f', description: 'F', parameters: { type: 'object', properties: {} } }],
    });
    expect(back.messages[0].content).toBe('ab');
    expect(back.messages[1].tool_calls).toEqual([
      { id: 'x', name: 'f', arguments: { k: 1 } },
      { id: 'call_1', name: 'g', arguments: undefined, raw: '{oops' },
    ]);
    expect(back.messages[3]).toMatchObject({ tool_call_id: 'call_1', name: 'g' });
    expect(back.tools).toEqual([{ name: 'f', description: 'F', parameters: { type: 'object', properties: {} } }]);
    expect(back.problems).toEqual([
      expect.stringMatching(/^messages\[1\]\.tool_calls\[1\]: arguments are not valid JSON/),
      'messages[4]: unknown role "robot"',
    ]);
  });
});
