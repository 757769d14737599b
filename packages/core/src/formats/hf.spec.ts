import { ALL_SAMPLES, callsByTurn, SAMPLES, TOOLS } from './__fixtures__/samples';
import { fromHf, toHf } from './hf';
import { toOpenAI } from './openai';

describe('hf format', () => {
  it('writes object arguments, string content and named tool results', () => {
    const row = JSON.parse(JSON.stringify(toHf(SAMPLES.standard, TOOLS)));
    expect(Object.keys(row)).toEqual(['messages', 'tools']);
    expect(row.messages[1]).toEqual({
      role: 'assistant',
      content: '',
      tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'get_forecast', arguments: { city: 'Zürich "Altstadt"', days: null, units: 'metric' } } }],
    });
    expect(row.messages[2]).toEqual({ role: 'tool', tool_call_id: 'call_a', name: 'get_forecast', content: '{"temp": 21.5, "sky": "clear"}' });
    // The openai row of the same sample keeps the API's spelling.
    const openai = toOpenAI(SAMPLES.standard, TOOLS).messages[1] as any;
    expect(openai.content).toBeNull();
    expect(typeof openai.tool_calls[0].function.arguments).toBe('string');
  });

  it('keeps text said before calls and finds a missing result name through the call id', () => {
    const row = toHf(SAMPLES.parallel, TOOLS);
    expect(row.messages[1]).toMatchObject({ role: 'assistant', content: 'Let me fetch both.' });
    const unnamed = { ...SAMPLES.parallel, messages: SAMPLES.parallel.messages.map((m) => (m.role === 'tool' ? { ...m, name: undefined } : m)) };
    expect(toHf(unnamed, TOOLS).messages.filter((m) => m.role === 'tool').map((m: any) => m.name)).toEqual(['get_forecast', 'plot_series']);
  });

  it('lists only the tools offered in the row, in its order', () => {
    const offered = { ...SAMPLES.standard, tools: ['list_alerts', 'get_forecast'] };
    expect(toHf(offered, TOOLS).tools.map((t) => t.function.name)).toEqual(['list_alerts', 'get_forecast']);
    expect(() => toHf({ ...SAMPLES.standard, tools: ['nope'] }, TOOLS)).toThrow(/offers tool "nope"/);
  });

  it.each(ALL_SAMPLES.map((s) => [s.scenario, s] as const))('parses %s back to the same calls, with no problems', (_s, sample) => {
    const back = fromHf(JSON.parse(JSON.stringify(toHf(sample, TOOLS))));
    expect(back.problems).toEqual([]);
    expect(callsByTurn(back.messages)).toEqual(callsByTurn(sample.messages));
    for (const m of back.messages) expect(typeof m.content).toBe('string');
  });
});
