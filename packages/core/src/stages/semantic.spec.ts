import { checkSemantics } from './semantic';
import { couldAnswer, dependentPair, isReadTool, topicWords } from './tool-roles';
import type { Message, Sample, ToolDef } from '../types';

const tool = (name: string, readOnly?: boolean): ToolDef => ({
  name, serverToolName: name, server: 0, description: `${name} tool`,
  inputSchema: { type: 'object', properties: { city: { type: 'string' }, id: { type: 'string' } } },
  ...(readOnly === undefined ? {} : { annotations: { readOnlyHint: readOnly } }),
});
const TOOLS = new Map(['get_weather', 'set_weather_alert', 'list_alerts', 'get_forecast'].map((n) => [n, tool(n, n.startsWith('set') ? false : true)]));

function row(scenario: Sample['scenario'], messages: Message[], execution: Record<string, 'live' | 'simulated'> = {}): Sample {
  return { id: 'r', seedId: 'r', source: 'seed', scenario, tool_name: 'get_weather', tools: [...TOOLS.keys()], messages, meta: { provider: 'offline', model: 'm', seed: 1, execution } };
}
const user = (content: string): Message => ({ role: 'user', content });
const call = (id: string, name: string, args: unknown): Message => ({ role: 'assistant', content: null, tool_calls: [{ id, name, arguments: args }] });
const result = (id: string, name: string, content: string): Message => ({ role: 'tool', tool_call_id: id, name, content });
const answer = (content: string): Message => ({ role: 'assistant', content });
const codes = (s: Sample) => checkSemantics(s, TOOLS).map((r) => r.slice(0, r.indexOf(':')));

describe('tool roles', () => {
  it('reads what a tool is about and whether it writes', () => {
    expect([...topicWords(tool('set_weather_alert'))]).toEqual(['weather', 'alert']);
    expect(isReadTool(tool('list_alerts'))).toBe(true);
    expect(isReadTool(tool('set_weather_alert'))).toBe(false);
    expect(dependentPair(tool('set_weather_alert'), tool('list_alerts'))).toBe(true);
    expect(dependentPair(tool('get_weather'), tool('get_forecast'))).toBe(false);
    expect(couldAnswer(tool('get_weather'), tool('set_weather_alert'))).toBe(true);
    expect(couldAnswer(tool('get_forecast'), tool('list_alerts'))).toBe(false);
  });
});

describe('checkSemantics', () => {
  const clean = () => row('standard', [user('How warm is it in Paris?'), call('c1', 'get_weather', { city: 'Paris' }), result('c1', 'get_weather', '{"city":"Paris","temp":18.5,"sky":"cloudy"}'), answer('It is 18.5 °C and cloudy in Paris.')]);

  it('passes a grounded, consistent row', () => {
    expect(checkSemantics(clean(), TOOLS)).toEqual([]);
  });

  it('catches an answer that repeats the request, and one with invented numbers', () => {
    const s = clean();
    s.messages[3] = answer('Done: city Paris.');
    expect(codes(s)).toEqual(['ungrounded_answer']);
    s.messages[3] = answer('It is 18.5 °C in Paris with 71% humidity.');
    expect(codes(s)).toEqual(['ungrounded_answer']);
  });

  it('catches a simulated result about another city, but not a live one', () => {
    const s = clean();
    s.messages[2] = result('c1', 'get_weather', '{"city":"Rome","temp":18.5,"sky":"cloudy"}');
    expect(codes(s)).toContain('result_contradicts_call');
    s.meta.execution = { c1: 'live' };
    expect(codes(s)).not.toContain('result_contradicts_call');
  });

  it('catches a write and a read of the same thing in one turn, and a value taken from a sibling result', () => {
    const both: Message = { role: 'assistant', content: null, tool_calls: [{ id: 'a', name: 'set_weather_alert', arguments: { city: 'Oslo' } }, { id: 'b', name: 'list_alerts', arguments: {} }] };
    expect(codes(row('parallel_multiple', [user('Alert me for Oslo and list my alerts.'), both, result('a', 'set_weather_alert', '{"id":"al-1","city":"Oslo"}'), result('b', 'list_alerts', 'No alerts set.'), answer('Alert al-1 is set for Oslo.')]))).toContain('dependent_parallel_calls');
    const flow: Message = { role: 'assistant', content: null, tool_calls: [{ id: 'a', name: 'get_weather', arguments: { city: 'Oslo' } }, { id: 'b', name: 'get_forecast', arguments: { id: 'stn-4471' } }] };
    expect(codes(row('parallel_multiple', [user('Weather in Oslo and the forecast of its station.'), flow, result('a', 'get_weather', '{"city":"Oslo","station":"stn-4471"}'), result('b', 'get_forecast', '{"id":"stn-4471","high":3}'), answer('Oslo: station stn-4471, high 3.')]))).toContain('dependent_parallel_calls');
  });

  it('catches a tool named in the request, a call in an irrelevance row, and an unrelated error', () => {
    const named = clean();
    named.messages[0] = user('Use get_weather for Paris.');
    expect(codes(named)).toEqual(['tool_named_in_request']);
    expect(codes(row('irrelevance', [user('Book me a flight to Paris.'), call('c1', 'get_weather', { city: 'Paris' }), result('c1', 'get_weather', '{"city":"Paris","temp":18}'), answer('I cannot book flights; Paris is at 18 degrees.')]))).toContain('irrelevance_called');
    const err = (text: string) => row('error', [user('Weather in Atlantis?'), call('c1', 'get_weather', { city: 'Atlantis' }), result('c1', 'get_weather', text), answer('Sorry, that failed.')]);
    expect(codes(err('Error: disk quota exceeded'))).toEqual(['error_unrelated']);
    expect(codes(err('Error: unknown city "Atlantis"'))).toEqual([]);
  });
});
