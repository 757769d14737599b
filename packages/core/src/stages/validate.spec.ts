import type { Message, Sample, Scenario, ToolCall, ToolDef } from '../types';
import { checkSample, isErrorResult, reasonCode } from './validate';

const tool = (name: string, inputSchema: ToolDef['inputSchema']): ToolDef => ({ name, serverToolName: name, server: 0, description: name, inputSchema });

const TOOLS = new Map<string, ToolDef>(
  [
    tool('get_weather', {
      type: 'object',
      properties: { city: { type: 'string', minLength: 1 }, units: { type: 'string', enum: ['metric', 'imperial'] } },
      required: ['city'],
      additionalProperties: false,
    }),
    tool('get_forecast', {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } },
      required: ['city', 'days'],
    }),
    tool('get_alerts', {
      type: 'object',
      properties: { location: { type: 'object', properties: { lat: { type: 'number' }, lon: { type: 'number' } }, required: ['lat', 'lon'] } },
      required: ['location'],
    }),
    tool('delete_station', { type: 'object', properties: { id: { type: 'string' } } }),
  ].map((t) => [t.name, t]),
);
const OFFERED = ['get_weather', 'get_forecast', 'get_alerts'];

const call = (id: string, name: string, args: unknown, raw?: string): ToolCall => ({ id, name, arguments: args, ...(raw !== undefined ? { raw } : {}) });
const sys: Message = { role: 'system', content: 'You are a weather assistant.' };
const user = (content: string): Message => ({ role: 'user', content });
const calls = (...c: ToolCall[]): Message => ({ role: 'assistant', content: null, tool_calls: c });
const result = (id: string, name: string, content: string): Message => ({ role: 'tool', tool_call_id: id, name, content });
const answer = (content: string): Message => ({ role: 'assistant', content });

function sample(scenario: Scenario, messages: Message[], tools = OFFERED): Sample {
  return { id: `s-${scenario}`, seedId: `s-${scenario}`, source: 'seed', scenario, tool_name: null, tools, messages, meta: { provider: 'offline', model: 'test', seed: 1 } };
}

const standard = () =>
  sample('standard', [
    sys,
    user('What is the weather in Paris?'),
    calls(call('c1', 'get_weather', { city: 'Paris', units: 'metric' })),
    result('c1', 'get_weather', '{"temp": 18, "sky": "cloudy"}'),
    answer('It is 18 °C and cloudy in Paris.'),
  ]);

const CLEAN: Sample[] = [
  standard(),
  sample('edge', [user('Forecast for Llanfairpwllgwyngyll for the maximum 7 days'), calls(call('c1', 'get_forecast', { city: 'Llanfairpwllgwyngyll', days: 7 })), result('c1', 'get_forecast', '[]'), answer('No data yet for that town.')]),
  sample('no_tool', [sys, user('What does "humidity" mean?'), answer('Humidity is the amount of water vapour in the air.')]),
  sample('parallel', [
    user('Weather in Oslo and in Lima?'),
    calls(call('a', 'get_weather', { city: 'Oslo' }), call('b', 'get_weather', { city: 'Lima' })),
    result('b', 'get_weather', '{"temp": 22}'),
    result('a', 'get_weather', '{"temp": 3}'),
    answer('Oslo is at 3 °C, Lima at 22 °C.'),
  ]),
  sample('error', [user('Alerts near 91, 200?'), calls(call('c1', 'get_alerts', { location: { lat: 91, lon: 200 } })), result('c1', 'get_alerts', '{"isError": true, "message": "lat out of range"}'), answer('Those coordinates are out of range; could you check them?')]),
  sample('error', [user('Weather in Atlantis?'), calls(call('c1', 'get_weather', { city: 'Atlantis' })), result('c1', 'get_weather', 'Error: unknown city'), answer('I could not find Atlantis.')]),
  sample('ambiguous', [user('Get me the forecast.'), answer('Which city, and for how many days?')]),
  sample('ambiguous', [user('Get me the forecast.'), answer('Which city?'), user('Rome, 3 days'), calls(call('c1', 'get_forecast', { city: 'Rome', days: 3 })), result('c1', 'get_forecast', '["sun","sun","rain"]'), answer('Sun, sun, then rain.')]),
  sample('multi_turn', [
    user('Weather in Rome?'),
    calls(call('c1', 'get_weather', { city: 'Rome' })),
    result('c1', 'get_weather', '{"temp": 25}'),
    answer('25 °C in Rome.'),
    user('And the next 2 days?'),
    calls(call('c2', 'get_forecast', { city: 'Rome', days: 2 })),
    result('c2', 'get_forecast', '["sun","sun"]'),
    answer('Sunny both days.'),
  ]),
];

/** Replaces message `index` of the clean standard sample. */
function standardWith(index: number, m: Message): Sample {
  const s = standard();
  s.messages[index] = m;
  return s;
}

describe('checkSample: clean rows', () => {
  it.each(CLEAN.map((s, i) => [`${s.scenario} #${i}`, s] as const))('%s has no reason', (_label, s) => {
    expect(checkSample(s, TOOLS)).toEqual([]);
  });
});

describe('checkSample: planted bad rows', () => {
  const cases: [string, Sample, string][] = [
    ['wrong tool name', standardWith(2, calls(call('c1', 'get_wether', { city: 'Paris' }))), 'unknown_tool: get_wether'],
    ['tool not offered in the sample', standardWith(2, calls(call('c1', 'delete_station', { id: 'x' }))), 'tool_not_offered: delete_station'],
    ['missing required argument', standardWith(2, calls(call('c1', 'get_forecast', { days: 2 }))), 'missing_required: get_forecast.city'],
    ['missing nested required argument', standardWith(2, calls(call('c1', 'get_alerts', { location: { lat: 1 } }))), 'missing_required: get_alerts.location.lon'],
    ['wrong type', standardWith(2, calls(call('c1', 'get_forecast', { city: 'Paris', days: 'three' }))), 'invalid_arguments: get_forecast /days must be integer'],
    ['out of range', standardWith(2, calls(call('c1', 'get_forecast', { city: 'Paris', days: 9 }))), 'invalid_arguments: get_forecast /days must be <= 7'],
    ['enum violation', standardWith(2, calls(call('c1', 'get_weather', { city: 'Paris', units: 'kelvin' }))), 'invalid_arguments: get_weather /units must be one of ["metric","imperial"]'],
    ['unknown property', standardWith(2, calls(call('c1', 'get_weather', { city: 'Paris', country: 'FR' }))), "invalid_arguments: get_weather (root) has unknown property 'country'"],
    ['broken JSON arguments', standardWith(2, calls(call('c1', 'get_weather', undefined, '{"city": "Paris"'))), 'unparseable_arguments: get_weather {"city": "Paris"'],
    ['call in a no_tool sample', { ...standard(), scenario: 'no_tool' }, 'scenario: no_tool sample calls get_weather'],
    ['single call in a parallel sample', { ...standard(), scenario: 'parallel' }, 'scenario: parallel sample has no assistant turn with 2 or more calls'],
    ['orphan tool message', sample('no_tool', [user('Hi'), result('zz', 'get_weather', '{}'), answer('Hello!')]), 'structure: orphan tool message at #1 (tool_call_id zz matches no open call)'],
    ['mismatched tool_call_id', standardWith(3, result('c9', 'get_weather', '{"temp": 18}')), 'structure: call c1 (get_weather) has no tool result before message #4'],
    ['tool result names another tool', standardWith(3, result('c1', 'get_forecast', '{}')), 'structure: tool message at #3 names get_forecast but call c1 is get_weather'],
    ['call answered twice', (() => { const s = standard(); s.messages.splice(4, 0, result('c1', 'get_weather', '{}')); return s; })(), 'structure: call c1 answered more than once (#4)'],
    ['duplicate call ids', sample('parallel', [user('Oslo and Lima?'), calls(call('a', 'get_weather', { city: 'Oslo' }), call('a', 'get_weather', { city: 'Lima' })), result('a', 'get_weather', '{}'), answer('Done.')]), 'structure: duplicate call id a at #1'],
    ['ends with a tool call', sample('standard', [user('Paris?'), calls(call('c1', 'get_weather', { city: 'Paris' }))]), 'structure: conversation ends with an assistant tool call, expected an assistant answer'],
    ['starts with the assistant', sample('no_tool', [sys, answer('Hello'), user('Hi'), answer('How can I help?')]), 'structure: conversation starts with an assistant answer, expected a user turn'],
    ['two user turns in a row', sample('no_tool', [user('Hi'), user('Hello?'), answer('Hi!')]), 'structure: two user turns in a row at #1'],
    ['whitespace user turn', sample('no_tool', [user('   '), answer('Hi!')]), 'empty_content: user turn #0'],
    ['empty final answer', standardWith(4, answer(' ')), 'empty_content: assistant turn #4'],
    ['error sample without a failing result', { ...standard(), scenario: 'error' }, 'scenario: error sample has no failing tool result (JSON with "isError": true, or text starting "Error:")'],
    ['ambiguous sample calls first', { ...standard(), scenario: 'ambiguous' }, 'scenario: ambiguous sample has no clarifying question (assistant text ending in "?") before any call'],
    ['standard sample with no call', sample('standard', [user('Paris?'), answer('Sunny.')]), 'scenario: standard sample has no tool call'],
    ['multi_turn with one user turn', { ...standard(), scenario: 'multi_turn' }, 'scenario: multi_turn sample has fewer than 2 user turns'],
  ];
  it.each(cases)('%s', (_label, s, expected) => {
    expect(checkSample(s, TOOLS)).toContain(expected);
  });

  it('reports every problem of a row, once each', () => {
    const s = sample('parallel', [user('Paris?'), calls(call('c1', 'get_wether', {}), call('c2', 'get_forecast', { days: 0 }))]);
    const reasons = checkSample(s, TOOLS);
    expect(reasons.map(reasonCode).sort()).toEqual(['invalid_arguments', 'missing_required', 'structure', 'structure', 'structure', 'unknown_tool']);
    expect(new Set(reasons).size).toBe(reasons.length);
  });

  it('skips the offered-tools check when the row records no tool list (external datasets)', () => {
    const s = { ...standardWith(2, calls(call('c1', 'delete_station', { id: 'x' }))), tools: [] };
    s.messages[3] = result('c1', 'delete_station', '{"deleted": true}');
    s.messages[4] = answer('Station x is deleted.');
    expect(checkSample(s, TOOLS)).toEqual([]);
    expect(checkSample({ ...s, tools: ['get_weather'] }, TOOLS)).toEqual(['tool_not_offered: delete_station']);
  });

  it('turns a schema that cannot compile into a reason instead of a throw', () => {
    const tools = new Map(TOOLS);
    tools.set('get_weather', tool('get_weather', { type: 'object', properties: { city: { $ref: '#/$defs/missing' } } }));
    expect(checkSample(standard(), tools)).toEqual([expect.stringMatching(/^invalid_arguments: get_weather schema cannot be compiled/)]);
  });
});

describe('isErrorResult', () => {
  it.each([
    ['{"isError": true, "content": "boom"}', true],
    ['  Error: city not found', true],
    ['error: timeout', true],
    ['MCP error -32602: Invalid arguments', true],
    ['{"isError": false}', false],
    ['{"temp": 3, "note": "isError"}', false],
    ['No errors today', false],
    ['{not json isError', false],
  ])('%s → %s', (content, expected) => {
    expect(isErrorResult(content)).toBe(expected);
  });
  it('is false for null content', () => expect(isErrorResult(null)).toBe(false));
});
