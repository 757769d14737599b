// Hand-built samples of every scenario, and tools with awkward schemas, for the format tests.
import type { Message, Sample, Scenario, ToolDef } from '../../types';

export const TOOLS: ToolDef[] = [
  {
    name: 'get_forecast',
    serverToolName: 'get_forecast',
    server: 0,
    description: 'Forecast for a city. Say "metric" or "imperial" for units.',
    inputSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name' },
        days: { type: ['integer', 'null'], minimum: 1, maximum: 10 },
        units: { type: ['string', 'null'], enum: ['metric', 'imperial', null] },
      },
      required: ['city'],
      additionalProperties: false,
    },
  },
  {
    name: 'plot_series',
    serverToolName: 'plot_series',
    server: 0,
    description: 'Plot points. Points are [[x, y], ...]; labels may be nested lists.',
    inputSchema: {
      type: 'object',
      properties: {
        points: { type: 'array', items: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 } },
        labels: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] } },
        style: { type: 'object', additionalProperties: { type: 'string' } },
      },
      required: ['points'],
    },
  },
  { name: 'list_alerts', serverToolName: 'list_alerts', server: 0, description: 'List active weather alerts.', inputSchema: { type: 'object' } },
  { name: 'server.ping', serverToolName: 'ping', server: 1, title: 'Ping', description: '', inputSchema: true },
];

const ALL = TOOLS.map((t) => t.name);

function sample(id: string, scenario: Scenario, tool: string | null, messages: Message[]): Sample {
  return { id, seedId: id, source: 'seed', scenario, tool_name: tool, tools: ALL, messages, meta: { provider: 'offline', model: 'offline', seed: 1 } };
}

const forecastArgs = { city: 'Zürich "Altstadt"', days: null, units: 'metric' };

export const SAMPLES: Record<Scenario, Sample> = {
  standard: sample('s-standard', 'standard', 'get_forecast', [
    { role: 'user', content: 'Forecast for Zürich "Altstadt", metric please.' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_a', name: 'get_forecast', arguments: forecastArgs }] },
    { role: 'tool', tool_call_id: 'call_a', name: 'get_forecast', content: '{"temp": 21.5, "sky": "clear"}' },
    { role: 'assistant', content: 'It will be 21.5 °C and clear in Zürich.' },
  ]),
  no_tool: sample('s-no_tool', 'no_tool', null, [
    { role: 'user', content: 'What does <tool_call> mean in your replies?' },
    { role: 'assistant', content: 'It marks a function call; I will not need one to answer this.' },
  ]),
  parallel: sample('s-parallel', 'parallel', 'get_forecast', [
    { role: 'user', content: 'Forecast for Oslo and plot [[1,2],[3,4]].' },
    {
      role: 'assistant',
      content: 'Let me fetch both.',
      tool_calls: [
        { id: 'call_p1', name: 'get_forecast', arguments: { city: 'Oslo' } },
        { id: 'call_p2', name: 'plot_series', arguments: { points: [[1, 2], [3, 4.5]], labels: ['a', ['b', 'c']], style: { color: '</tool_call>' } } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_p1', name: 'get_forecast', content: 'Oslo: 3 °C, snow' },
    { role: 'tool', tool_call_id: 'call_p2', name: 'plot_series', content: '{"url": "file:///tmp/plot.png"}' },
    { role: 'assistant', content: 'Oslo is 3 °C with snow, and the plot is ready.' },
  ]),
  error: sample('s-error', 'error', 'get_forecast', [
    { role: 'user', content: 'Forecast for Atlantis.' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_e', name: 'get_forecast', arguments: { city: 'Atlantis' } }] },
    { role: 'tool', tool_call_id: 'call_e', name: 'get_forecast', content: 'Error: unknown city "Atlantis"' },
    { role: 'assistant', content: 'I could not find Atlantis. Could you give a real city name?' },
  ]),
  ambiguous: sample('s-ambiguous', 'ambiguous', 'get_forecast', [
    { role: 'user', content: 'What is the weather like?' },
    { role: 'assistant', content: 'Which city should I check?' },
  ]),
  edge: sample('s-edge', 'edge', 'list_alerts', [
    { role: 'user', content: 'Any alerts? Also ping the server.' },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_x1', name: 'list_alerts', arguments: {} },
        { id: 'call_x2', name: 'server.ping', arguments: {} },
      ],
    },
    { role: 'tool', tool_call_id: 'call_x1', name: 'list_alerts', content: '[]' },
    { role: 'tool', tool_call_id: 'call_x2', name: 'server.ping', content: 'pong' },
    { role: 'assistant', content: 'No alerts, and the server answers.' },
  ]),
  multiple: sample('s-multiple', 'multiple', 'list_alerts', [
    { role: 'user', content: 'Are there weather alerts right now?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_mu', name: 'list_alerts', arguments: {} }] },
    { role: 'tool', tool_call_id: 'call_mu', name: 'list_alerts', content: '[{"id": "a1", "kind": "storm"}]' },
    { role: 'assistant', content: 'One alert is active: a storm (a1).' },
  ]),
  parallel_multiple: sample('s-parallel_multiple', 'parallel_multiple', 'get_forecast', [
    { role: 'user', content: 'Forecast for Rome in imperial units, and any alerts?' },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_pm1', name: 'get_forecast', arguments: { city: 'Rome', units: 'imperial' } },
        { id: 'call_pm2', name: 'list_alerts', arguments: {} },
      ],
    },
    { role: 'tool', tool_call_id: 'call_pm1', name: 'get_forecast', content: '{"temp": 75, "sky": "sunny"}' },
    { role: 'tool', tool_call_id: 'call_pm2', name: 'list_alerts', content: '[]' },
    { role: 'assistant', content: 'Rome: 75 °F and sunny; no alerts.' },
  ]),
  irrelevance: sample('s-irrelevance', 'irrelevance', null, [
    { role: 'user', content: 'Book me a table for two tonight.' },
    { role: 'assistant', content: 'I cannot book tables: none of my tools makes reservations. I can look up forecasts and alerts.' },
  ]),
  sequential: sample('s-sequential', 'sequential', 'list_alerts', [
    { role: 'user', content: 'Find the active alert and give me the forecast for its city.' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_s1', name: 'list_alerts', arguments: {} }] },
    { role: 'tool', tool_call_id: 'call_s1', name: 'list_alerts', content: '[{"id": "a7", "city": "Bergen"}]' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_s2', name: 'get_forecast', arguments: { city: 'Bergen' } }] },
    { role: 'tool', tool_call_id: 'call_s2', name: 'get_forecast', content: '{"temp": 8, "sky": "rain"}' },
    { role: 'assistant', content: 'The alert is for Bergen, where it is 8 °C with rain.' },
  ]),
  multi_turn: sample('s-multi_turn', 'multi_turn', 'get_forecast', [
    { role: 'system', content: 'You are a terse weather bot.' },
    { role: 'user', content: 'Weather?' },
    { role: 'assistant', content: 'Which city?' },
    { role: 'user', content: 'Lima, 3 days, with a \\ backslash and emoji 🌧' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_m', name: 'get_forecast', arguments: { city: 'Lima \\ 🌧', days: 3, units: null } }] },
    { role: 'tool', tool_call_id: 'call_m', name: 'get_forecast', content: '{"days": [{"t": 19}, {"t": 20}, {"t": 18}]}' },
    { role: 'assistant', content: '19, 20 and 18 °C.' },
    { role: 'user', content: 'Thanks!' },
    { role: 'assistant', content: 'You are welcome.' },
  ]),
};

export const ALL_SAMPLES: Sample[] = Object.values(SAMPLES);

/** The calls of each assistant turn (what every format must give back). */
export function callsByTurn(messages: Message[]): { name: string; arguments: unknown }[][] {
  return messages.filter((m) => m.role === 'assistant').map((m) => (m.tool_calls ?? []).map((c) => ({ name: c.name, arguments: c.arguments })));
}
