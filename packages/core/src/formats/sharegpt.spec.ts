import { ALL_SAMPLES, callsByTurn, SAMPLES, TOOLS } from './__fixtures__/samples';
import { fromShareGPT, OBSERVATION_SEPARATOR, toShareGPT } from './sharegpt';

/** LLaMA-Factory's rule: after a leading system turn, human/observation odd, gpt/function_call even, even count. */
function llamaFactoryAccepts(conv: { from: string; value: string }[]): boolean {
  const turns = conv[0]?.from === 'system' ? conv.slice(1) : conv;
  const ok = turns.every((t, i) => (i % 2 === 0 ? ['human', 'observation'] : ['gpt', 'function_call']).includes(t.from));
  return ok && turns.length % 2 === 0;
}

describe('toShareGPT', () => {
  it.each(ALL_SAMPLES.map((s) => [s.scenario, s] as const))('writes a LLaMA-Factory row for %s', (_name, sample) => {
    const row = toShareGPT(sample, TOOLS);
    expect(Object.keys(row)).toEqual(['conversations', 'tools']);
    expect(llamaFactoryAccepts(row.conversations)).toBe(true);
    const tools = JSON.parse(row.tools);
    expect(tools.map((t: { name: string }) => t.name)).toEqual(sample.tools);
    for (const t of tools) expect(Object.keys(t)).toEqual(['name', 'description', 'parameters']);
    for (const t of tools) expect(t.parameters.properties).toBeDefined();
  });

  it('writes single calls as an object, parallel calls as a list, and joins parallel results', () => {
    expect(toShareGPT(SAMPLES.standard, TOOLS).conversations.map((c) => c.from)).toEqual(['human', 'function_call', 'observation', 'gpt']);
    expect(JSON.parse(toShareGPT(SAMPLES.standard, TOOLS).conversations[1].value)).toEqual({
      name: 'get_forecast',
      arguments: { city: 'Zürich "Altstadt"', days: null, units: 'metric' },
    });
    const par = toShareGPT(SAMPLES.parallel, TOOLS).conversations;
    expect(JSON.parse(par[1].value).map((c: { name: string }) => c.name)).toEqual(['get_forecast', 'plot_series']);
    expect(par[2]).toEqual({ from: 'observation', value: `Oslo: 3 °C, snow${OBSERVATION_SEPARATOR}{"url": "file:///tmp/plot.png"}` });
    expect(toShareGPT(SAMPLES.multi_turn, TOOLS).conversations[0]).toEqual({ from: 'system', value: 'You are a terse weather bot.' });
  });
});

describe('fromShareGPT', () => {
  it.each(ALL_SAMPLES.map((s) => [s.scenario, s] as const))('recovers the calls and results of %s', (_name, sample) => {
    const back = fromShareGPT(JSON.parse(JSON.stringify(toShareGPT(sample, TOOLS))));
    expect(back.problems).toEqual([]);
    expect(callsByTurn(back.messages)).toEqual(callsByTurn(sample.messages));
    const results = (ms: typeof sample.messages) => ms.filter((m) => m.role === 'tool').map((m) => [m.name, m.content]);
    expect(results(back.messages)).toEqual(results(sample.messages));
    expect(back.tools.map((t) => t.name)).toEqual(sample.tools);
  });

  it('reports invalid function_call JSON and unknown roles', () => {
    const back = fromShareGPT({ conversations: [{ from: 'human', value: 'x' }, { from: 'function_call', value: '{"name": "f", ' }, { from: 'alien', value: '' }], tools: '[' });
    expect(back.messages[1].tool_calls).toEqual([{ id: 'call_1', name: 'f', arguments: undefined, raw: '{"name": "f", ' }]);
    expect(back.problems).toHaveLength(3);
  });
});
