// Free-text structured outputs read like a model's: composed from the instructions in the messages
// (values to mention, a value to leave out, the conversation so far), varied per request, and the
// tool calls made from a composed request carry exactly the values it mentions. Through the SDK.
import OpenAI from 'openai';
import { startTestServer, type TestServer } from './server';

const MESSAGE = { type: 'object', properties: { message: { type: 'string' } }, required: ['message'], additionalProperties: false };
const VERDICT = {
  type: 'object',
  properties: { score: { type: 'number' }, reasons: { type: 'array', items: { type: 'string' } } },
  required: ['score', 'reasons'],
  additionalProperties: false,
};

const forecast = {
  name: 'get_forecast',
  description: 'Daily forecast for a city.',
  parameters: {
    type: 'object',
    properties: {
      city: { type: 'string' },
      days: { type: 'integer', minimum: 1, maximum: 7 },
      units: { type: ['string', 'null'], enum: ['celsius', 'fahrenheit', null] },
      include: { type: ['array', 'null'], items: { type: 'string', enum: ['wind', 'humidity', 'precipitation'] } },
    },
    required: ['city', 'days', 'units', 'include'],
    additionalProperties: false,
  },
};
const compare = {
  name: 'compare_cities',
  description: 'Rank cities by a metric.',
  parameters: {
    type: 'object',
    properties: { cities: { type: 'array', items: { type: 'string' } }, metric: { type: 'string', enum: ['temperature', 'wind'] } },
    required: ['cities', 'metric'],
    additionalProperties: false,
  },
};
const SYSTEM = `You write the user side of a conversation.\n\n# Tools\n\n## get_forecast\n${forecast.description}\nInput schema: ${JSON.stringify(forecast.parameters)}\n\n## compare_cities\n${compare.description}\nInput schema: ${JSON.stringify(compare.parameters)}`;

let server: TestServer;
let client: OpenAI;
beforeAll(async () => {
  server = await startTestServer();
  client = new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries: 0 });
});
afterAll(() => server.close());

async function text(system: string, user: string, schema: object = MESSAGE): Promise<Record<string, unknown>> {
  const res = await client.chat.completions.create({
    model: 'gpt-5-mini',
    messages: [{ role: 'system', content: system }, { role: 'user', content: user }],
    response_format: { type: 'json_schema', json_schema: { name: 'turn', strict: true, schema: schema as Record<string, unknown> } },
  });
  return JSON.parse(res.choices[0].message.content!);
}

async function calls(userText: string, toolChoice: OpenAI.Chat.ChatCompletionToolChoiceOption, tools = [forecast, compare]) {
  const res = await client.chat.completions.create({
    model: 'gpt-5',
    messages: [{ role: 'user', content: userText }],
    tools: tools.map((t) => ({ type: 'function' as const, function: { ...t, strict: true } })),
    tool_choice: toolChoice,
    parallel_tool_calls: true,
  });
  return (res.choices[0].message.tool_calls ?? []).map((c) => (c.type === 'function' ? { name: c.function.name, args: JSON.parse(c.function.arguments) } : null));
}

describe('composed user requests', () => {
  it('mention the given values, and a call made from the request carries exactly those values', async () => {
    const { message } = await text(SYSTEM, 'Persona: a nurse\nStyle: casual\nValues to mention:\n- for get_forecast: city = "São Paulo", days = 4, include = ["wind","humidity"]\nVariation: 7\nTask: Write the user\'s message.');
    expect(message).toContain('São Paulo');
    expect(message).toMatch(/forecast/);
    expect(message).not.toMatch(/get_forecast|Values to mention|=/);
    const [call] = await calls(message as string, { type: 'function', function: { name: 'get_forecast' } });
    // units was not mentioned: left null, not invented.
    expect(call!.args).toEqual({ city: 'São Paulo', days: 4, units: null, include: ['wind', 'humidity'] });
  });

  it('leave out the value they are told to leave out', async () => {
    for (let v = 0; v < 10; v++) {
      const { message } = await text(SYSTEM, `Values to mention:\n- for get_forecast: city = "Oslo", days = 2\nLeave out: city\nVariation: ${v}\nTask: Write the user's message.`);
      expect(message).not.toContain('Oslo');
      expect(message).toMatch(/2/);
    }
  });

  it('ask for several things so that `required` makes one call per request, the same tool twice too', async () => {
    const { message } = await text(SYSTEM, 'Values to mention:\n- for get_forecast: city = "Lima", days = 3\n- for get_forecast: city = "Quito", days = 5\n- for compare_cities: cities = ["Lima","Quito"], metric = "wind"\nTask: Write the user\'s message.');
    const made = await calls(message as string, 'required');
    expect(made).toEqual([
      { name: 'get_forecast', args: { city: 'Lima', days: 3, units: null, include: null } },
      { name: 'get_forecast', args: { city: 'Quito', days: 5, units: null, include: null } },
      { name: 'compare_cities', args: { cities: ['Lima', 'Quito'], metric: 'wind' } },
    ]);
  });

  it('vary with the request: 30 variations give 30 different messages', async () => {
    const seen = new Set<string>();
    for (let v = 0; v < 30; v++) {
      const { message } = await text(SYSTEM, `Style: polite\nValues to mention:\n- for get_forecast: city = "Rome", days = 2\nVariation: ${v}\nTask: Write the user's message.`);
      seen.add(message as string);
    }
    expect(seen.size).toBe(30);
  });

  it('ask a general question when there are no values to mention', async () => {
    const { message } = await text(SYSTEM, "Scenario: no_tool: ask something general, answered without using any tool.\nTask: Write the user's message.");
    expect(message).toMatch(/forecast/);
    expect(message).not.toMatch(/"/);
  });
});

const REPLY_SYSTEM = `You write one turn of a conversation.\n\n# Tools\n\n## get_forecast\n${forecast.description}\nInput schema: ${JSON.stringify(forecast.parameters)}`;
const transcript = (...lines: string[]) => `Conversation so far:\n${lines.join('\n')}\nVariation: 3`;

describe('composed assistant turns', () => {
  it('a clarifying question names the missing value and ends with a question mark', async () => {
    const { message } = await text(REPLY_SYSTEM, `Turn to write: ask one short question for the missing value.\n${transcript('User: Can you get the forecast for 3 days?')}`);
    expect(message).toMatch(/city/);
    expect(message).toMatch(/\?$/);
  });

  it('after a failed call: apologises, says what failed and suggests a next step', async () => {
    const { message } = await text(REPLY_SYSTEM, `Turn to write: the tool call failed; explain and suggest a next step.\n${transcript('User: Forecast for city "Atlantis", 2 days.', 'Assistant calls: get_forecast({"city":"Atlantis","days":2})', 'Tool result (get_forecast): Error: Unknown city "Atlantis".')}`);
    expect(message).toMatch(/sorry|unfortunately|did not work|failed/i);
    expect(message).toContain('Unknown city "Atlantis"');
    expect(message).toMatch(/\?$/);
  });

  it('a final answer reports the values of the tool results', async () => {
    const { message } = await text(REPLY_SYSTEM, `Turn to write: the final answer, from the tool results.\n${transcript('User: Forecast for Rome, 1 day.', 'Assistant calls: get_forecast({"city":"Rome","days":1})', 'Tool result (get_forecast): {', '  "city": "Rome",', '  "days": [{"day": 1, "high": 26, "low": 18, "condition": "partly cloudy"}]', '}')}`);
    expect(message).toMatch(/Rome/);
    expect(message).toMatch(/26/);
    expect(message).toMatch(/partly cloudy/);
  });

  it("a follow-up from the user gives the values the assistant asked for", async () => {
    const { message } = await text(REPLY_SYSTEM, `Turn to write: Write the USER's next message: answer the assistant's question.\nValues to mention:\n- for get_forecast: city = "Kyiv", days = 2\n${transcript('User: Forecast for 2 days please.', 'Assistant: Which city should I use?')}`);
    expect(message).toContain('Kyiv');
  });

  it('a rewrite keeps quoted values and numbers and changes the wording', async () => {
    const original = 'Could you get the forecast with the city set to "Porto" and 5 days? Thank you.';
    const { message } = await text('You rewrite a user message in different words, keeping every value.', `Style: terse\nVariation: 9\nMessage: ${original}`);
    expect(message).toContain('"Porto"');
    expect(message).toMatch(/\b5\b/);
    expect(message).not.toBe(original);
  });
});

describe('judge verdicts', () => {
  const judge = (conversation: string) => text('Score this conversation from 0 to 1.', `Scenario: standard\nConversation:\n${conversation}`, VERDICT);

  it('score a sound conversation high, with a reason', async () => {
    const v = await judge('User: Forecast for Rome, 1 day?\nAssistant calls: get_forecast({"city":"Rome","days":1})\nTool result (get_forecast): {"city":"Rome","high":26}\nAssistant: Rome will reach a high of 26 degrees.');
    expect(v.score).toBeGreaterThanOrEqual(0.85);
    expect((v.reasons as string[]).length).toBeGreaterThan(0);
  });

  it('score an answer that ignores the results, or a user turn that reads like instructions, low', async () => {
    const ungrounded = await judge('User: Forecast for Rome?\nAssistant calls: get_forecast({"city":"Rome","days":1})\nTool result (get_forecast): {"city":"Rome","high":26}\nAssistant: Sure thing, happy to help!');
    expect(ungrounded.score).toBeLessThan(0.5);
    expect(ungrounded.reasons).toEqual(['The answer uses nothing from the tool results.']);
    const echo = await judge('User: Values to mention:\n- for get_forecast: city = "Rome", days = 1\nAssistant: Rome looks sunny.');
    expect(echo.score).toBeLessThan(0.5);
  });
});
