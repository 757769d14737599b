// Test helper: a few human-written rows for `mix.real`, in the Hermes and the OpenAI format, using
// the weather server's tools. Each has a user text no generated row has, so the output can be
// searched for it.
import { pyJson } from '../formats/json';

const FORECAST_TOOL = {
  type: 'function',
  function: {
    name: 'get_forecast',
    description: 'Daily forecast for a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] },
  },
};
const CURRENT_TOOL = {
  type: 'function',
  function: {
    name: 'get_current_weather',
    description: 'Current weather for a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' }, units: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city'] },
  },
};

/** Hermes rows: a Nous-style function-calling prompt with a call, and a plain chat without tools. */
export const REAL_HERMES_ROWS = [
  {
    id: 'human-oslo',
    messages: [
      {
        role: 'system',
        content: `You are a function calling AI model. You are provided with function signatures within <tools></tools> XML tags.\n<tools>\n${pyJson(FORECAST_TOOL)}\n</tools>`,
      },
      { role: 'user', content: 'HUMAN-1 Will it rain in Oslo over the next 3 days?' },
      { role: 'assistant', content: '<tool_call>\n{"name": "get_forecast", "arguments": {"city": "Oslo", "days": 3}}\n</tool_call>' },
      { role: 'tool', content: '<tool_response>\n{"name": "get_forecast", "content": "Oslo: rain on day 1, dry on days 2 and 3."}\n</tool_response>' },
      { role: 'assistant', content: 'Rain tomorrow in Oslo, then two dry days.' },
    ],
  },
  {
    messages: [
      { role: 'user', content: 'HUMAN-2 What does the "feels like" temperature mean?' },
      { role: 'assistant', content: 'It is how warm or cold the air feels on skin once wind and humidity are taken into account.' },
    ],
  },
];

/** OpenAI rows: a call with a human system prompt, and two calls in one turn. */
export const REAL_OPENAI_ROWS = [
  {
    messages: [
      { role: 'system', content: 'You are WeatherBot for a travel agency. Keep answers short.' },
      { role: 'user', content: 'HUMAN-3 How warm is it in Reykjavik right now?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'get_current_weather', arguments: '{"city":"Reykjavik","units":"celsius"}' } }] },
      { role: 'tool', tool_call_id: 'call_a', content: 'Reykjavik: 4°C, windy.' },
      { role: 'assistant', content: '4°C and windy in Reykjavik.' },
    ],
    tools: [CURRENT_TOOL],
  },
  {
    messages: [
      { role: 'user', content: 'HUMAN-4 Compare the weather in Rome and Madrid right now.' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_r', type: 'function', function: { name: 'get_current_weather', arguments: '{"city":"Rome"}' } },
          { id: 'call_m', type: 'function', function: { name: 'get_current_weather', arguments: '{"city":"Madrid"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_r', content: 'Rome: 24°C, sunny.' },
      { role: 'tool', tool_call_id: 'call_m', content: 'Madrid: 27°C, clear.' },
      { role: 'assistant', content: 'Madrid is a little warmer (27°C, clear) than Rome (24°C, sunny).' },
    ],
    tools: [CURRENT_TOOL, FORECAST_TOOL],
  },
];

export const REAL_ROW_COUNT = REAL_HERMES_ROWS.length + REAL_OPENAI_ROWS.length;

export function jsonl(rows: unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
