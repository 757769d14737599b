// Chat Completions through the real openai SDK over HTTP.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import OpenAI, { type APIError } from 'openai';
import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { startTestServer, type TestServer } from './server';

const ajv = new Ajv({ strict: false });
addFormats(ajv);

const recordSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    age: { type: 'integer', minimum: 0, maximum: 120 },
    email: { type: ['string', 'null'], format: 'email' },
    tags: { type: 'array', items: { type: 'string', enum: ['vip', 'new', 'churn'] }, maxItems: 3 },
    address: {
      type: 'object',
      properties: { city: { type: 'string' }, zip: { type: 'string', pattern: '^[0-9]{5}$' } },
      required: ['city', 'zip'],
      additionalProperties: false,
    },
    created: { type: 'string', format: 'date-time' },
    id: { type: 'string', format: 'uuid' },
  },
  required: ['name', 'age', 'email', 'tags', 'address', 'created', 'id'],
  additionalProperties: false,
};

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    strict: true,
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['city', 'unit'],
      additionalProperties: false,
    },
  },
};

const timeTool = {
  type: 'function' as const,
  function: {
    name: 'get_time',
    parameters: { type: 'object', properties: { timezone: { type: 'string' } }, required: ['timezone'] },
  },
};

let server: TestServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startTestServer();
  client = new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries: 0 });
});
afterAll(() => server.close());

async function badRequest(body: Record<string, unknown>): Promise<APIError> {
  try {
    await client.chat.completions.create(body as never);
  } catch (err) {
    return err as APIError;
  }
  throw new Error('expected the request to fail');
}

describe('replies', () => {
  it('answers a named strict tool with arguments (a JSON string) valid for its schema, finish_reason stop', async () => {
    const tool = { type: 'function' as const, function: { name: 'emit_record', strict: true, parameters: recordSchema } };
    const res = await client.chat.completions.create({
      model: 'gpt-5-mini',
      messages: [{ role: 'user', content: 'Make one customer record.' }],
      tools: [tool],
      tool_choice: { type: 'function', function: { name: 'emit_record' } },
      parallel_tool_calls: false,
    });
    const choice = res.choices[0];
    expect(choice.finish_reason).toBe('stop');
    expect(choice.message.content).toBeNull();
    expect(choice.message.refusal).toBeNull();
    const call = choice.message.tool_calls![0];
    expect(call.type).toBe('function');
    expect(call.id).toMatch(/^call_[A-Za-z0-9]{24}$/);
    if (call.type !== 'function') throw new Error('function call expected');
    expect(typeof call.function.arguments).toBe('string');
    const args = JSON.parse(call.function.arguments);
    expect(ajv.validate(recordSchema, args)).toBe(true);
    expect(Object.keys(args)).toEqual(Object.keys(recordSchema.properties));
  });

  it('has the response shape of the API', async () => {
    const res = await client.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: 'Say hello' }] });
    expect(res.id).toMatch(/^chatcmpl-/);
    expect(res.object).toBe('chat.completion');
    expect(res.model).toBe('gpt-5-mini-2025-08-07');
    expect(res.service_tier).toBe('default');
    expect(res.system_fingerprint).toBeNull();
    expect(res.choices[0]).toMatchObject({ index: 0, logprobs: null, finish_reason: 'stop', message: { role: 'assistant', refusal: null, annotations: [] } });
    expect(res.choices[0].message.content).toContain('Say hello');
    const u = res.usage!;
    expect(u.total_tokens).toBe(u.prompt_tokens + u.completion_tokens);
    expect(u.prompt_tokens_details!.cached_tokens).toBe(0);
    expect(u.completion_tokens_details!.reasoning_tokens! % 64).toBe(0);
    expect(u.completion_tokens).toBeGreaterThan(u.completion_tokens_details!.reasoning_tokens!);
  });

  it('is deterministic for the same request body', async () => {
    const body = { model: 'gpt-4.1', messages: [{ role: 'user' as const, content: 'Plan a trip to Lisbon' }], tools: [weatherTool], tool_choice: 'required' as const };
    const a = await client.chat.completions.create(body);
    const b = await client.chat.completions.create(body);
    expect(b.choices).toEqual(a.choices);
    expect(b.id).not.toBe(a.id);
  });

  it('calls the tools the user asks for: auto with a mention, several in parallel, grounded in the message', async () => {
    const res = await client.chat.completions.create({
      model: 'gpt-5',
      messages: [{ role: 'user', content: 'What is the weather in city "Porto" in celsius, and the time in timezone Europe/Lisbon?' }],
      tools: [weatherTool, timeTool],
    });
    const calls = res.choices[0].message.tool_calls!;
    expect(res.choices[0].finish_reason).toBe('tool_calls');
    expect(calls.map((c) => (c.type === 'function' ? c.function.name : ''))).toEqual(['get_weather', 'get_time']);
    const weather = calls[0].type === 'function' ? JSON.parse(calls[0].function.arguments) : null;
    expect(weather).toEqual({ city: 'Porto', unit: 'celsius' });
  });

  it('makes one call when parallel_tool_calls is false, and none with auto when nothing asks for a tool', async () => {
    const one = await client.chat.completions.create({
      model: 'gpt-5',
      messages: [{ role: 'user', content: 'weather and time please' }],
      tools: [weatherTool, timeTool],
      parallel_tool_calls: false,
    });
    expect(one.choices[0].message.tool_calls).toHaveLength(1);
    const none = await client.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'Tell me a joke' }], tools: [weatherTool] });
    expect(none.choices[0].message.tool_calls).toBeUndefined();
    expect(none.choices[0].finish_reason).toBe('stop');
  });

  it('answers after tool results with text that uses them', async () => {
    const res = await client.chat.completions.create({
      model: 'gpt-5-nano',
      messages: [
        { role: 'user', content: 'Weather in Porto?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Porto","unit":"celsius"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"temperature":21,"conditions":"sunny"}' },
      ],
      tools: [weatherTool],
    });
    expect(res.choices[0].message.tool_calls).toBeUndefined();
    expect(res.choices[0].message.content).toContain('temperature: 21');
  });

  it('returns structured output valid for a strict json_schema, keys in schema order', async () => {
    const schema = {
      type: 'object',
      properties: {
        items: { type: 'array', items: { $ref: '#/$defs/node' }, minItems: 2, maxItems: 4 },
        kind: { anyOf: [{ type: 'string', enum: ['a', 'b'] }, { type: 'null' }] },
        score: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
      },
      required: ['items', 'kind', 'score'],
      additionalProperties: false,
      $defs: {
        node: {
          type: 'object',
          properties: { label: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } },
          required: ['label', 'children'],
          additionalProperties: false,
        },
      },
    };
    for (const content of ['first', 'second', 'third']) {
      const res = await client.chat.completions.create({
        model: 'gpt-5-mini',
        messages: [{ role: 'user', content }],
        response_format: { type: 'json_schema', json_schema: { name: 'tree', strict: true, schema } },
      });
      const value = JSON.parse(res.choices[0].message.content!);
      expect(ajv.validate(schema, value)).toBe(true);
      expect(Object.keys(value)).toEqual(['items', 'kind', 'score']);
    }
  });

  it("accepts the SDK's zod helpers and its parse() reads the reply", async () => {
    const Item = z.object({
      name: z.string(),
      qty: z.number().int().min(1),
      note: z.string().nullable().optional(),
      when: z.string().datetime(),
      kind: z.discriminatedUnion('t', [z.object({ t: z.literal('x'), x: z.number() }), z.object({ t: z.literal('y'), y: z.string() })]),
    });
    const Order = z.object({ items: z.array(Item), shipTo: Item.nullable(), id: z.string().uuid() });
    const structured = await client.chat.completions.parse({ model: 'gpt-5-mini', messages: [{ role: 'user', content: 'an order' }], response_format: zodResponseFormat(Order, 'order') });
    expect(Order.safeParse(structured.choices[0].message.parsed).success).toBe(true);
    const called = await client.chat.completions.parse({
      model: 'gpt-5-mini',
      messages: [{ role: 'user', content: 'place it' }],
      tools: [zodFunction({ name: 'place_order', parameters: Order })],
      tool_choice: 'required',
      parallel_tool_calls: false,
    });
    const call = called.choices[0].message.tool_calls![0];
    expect(Order.safeParse(call.type === 'function' ? call.function.parsed_arguments : null).success).toBe(true);
  });

  it('streams the same reply as chunks when stream is true', async () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'weather in Oslo' }], tools: [weatherTool], tool_choice: 'required' as const };
    const whole = await client.chat.completions.create(body);
    const stream = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
    let args = '';
    let finish: string | null = null;
    let usage: unknown = null;
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      for (const c of chunk.choices) {
        args += c.delta.tool_calls?.[0]?.function?.arguments ?? '';
        finish = c.finish_reason ?? finish;
      }
    }
    const call = whole.choices[0].message.tool_calls![0];
    expect(args).toBe(call.type === 'function' ? call.function.arguments : '');
    expect(finish).toBe('tool_calls');
    expect(usage).toEqual(whole.usage);
  });
});

describe('usage', () => {
  it('reports cached_tokens on a repeated prompt of 1024 tokens or more, in 128-token blocks', async () => {
    const long = 'Background facts for the assistant. '.repeat(160); // ~1440 tokens
    const body = { model: 'gpt-5-mini', prompt_cache_key: 'cache-test', messages: [{ role: 'developer' as const, content: long }, { role: 'user' as const, content: 'first question' }] };
    const first = await client.chat.completions.create(body);
    expect(first.usage!.prompt_tokens).toBeGreaterThanOrEqual(1024);
    expect(first.usage!.prompt_tokens_details!.cached_tokens).toBe(0);
    const again = await client.chat.completions.create({ ...body, messages: [body.messages[0], { role: 'user', content: 'second question' }] });
    const cached = again.usage!.prompt_tokens_details!.cached_tokens!;
    expect(cached).toBeGreaterThanOrEqual(1024);
    expect(cached % 128).toBe(0);
    expect(cached).toBeLessThanOrEqual(again.usage!.prompt_tokens);
  });

  it('does not cache prompts under 1024 tokens', async () => {
    const body = { model: 'gpt-5-mini', messages: [{ role: 'user' as const, content: 'short prompt '.repeat(50) }] };
    await client.chat.completions.create(body);
    const again = await client.chat.completions.create(body);
    expect(again.usage!.prompt_tokens_details!.cached_tokens).toBe(0);
  });

  it('spends more reasoning tokens at higher effort, none at minimal and on gpt-4.1', async () => {
    const ask = async (model: string, effort?: 'minimal' | 'high') =>
      (await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'think' }], ...(effort ? { reasoning_effort: effort } : {}) })).usage!.completion_tokens_details!.reasoning_tokens;
    expect(await ask('gpt-5', 'minimal')).toBe(0);
    expect(await ask('gpt-5', 'high')).toBeGreaterThanOrEqual(576);
    expect(await ask('gpt-4.1')).toBe(0);
  });

  it('stops at max_completion_tokens with finish_reason length, reasoning included', async () => {
    const res = await client.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'Write a lot' }], max_completion_tokens: 16 });
    expect(res.choices[0].finish_reason).toBe('length');
    expect(res.choices[0].message.content).toBe('');
    expect(res.usage!.completion_tokens).toBe(16);
  });
});

describe('validation like the API', () => {
  it('rejects temperature other than 1 on gpt-5 with the exact error', async () => {
    const err = await badRequest({ model: 'gpt-5', temperature: 0.5, messages: [{ role: 'user', content: 'hi' }] });
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.status).toBe(400);
    expect(err.message).toBe("400 Unsupported value: 'temperature' does not support 0.5 with this model. Only the default (1) value is supported.");
    expect(err.code).toBe('unsupported_value');
    expect(err.param).toBe('temperature');
    expect(err.type).toBe('invalid_request_error');
    expect(err.requestID).toMatch(/^req_/);
    await expect(client.chat.completions.create({ model: 'gpt-5', temperature: 1, messages: [{ role: 'user', content: 'hi' }] })).resolves.toBeTruthy();
  });

  it('rejects max_tokens, top_p and reasoning_effort none on gpt-5, accepts temperature on gpt-4.1', async () => {
    const maxTokens = await badRequest({ model: 'gpt-5-nano', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    expect(maxTokens.message).toBe("400 Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.");
    expect(maxTokens.code).toBe('unsupported_parameter');
    const topP = await badRequest({ model: 'gpt-5-mini', top_p: 0.9, messages: [{ role: 'user', content: 'hi' }] });
    expect([topP.code, topP.param]).toEqual(['unsupported_parameter', 'top_p']);
    for (const param of ['presence_penalty', 'frequency_penalty', 'logprobs', 'stop']) {
      const value = param === 'logprobs' ? true : param === 'stop' ? ['END'] : 0.5;
      const err = await badRequest({ model: 'gpt-5', [param]: value, messages: [{ role: 'user', content: 'hi' }] });
      expect(err.message).toBe(`400 Unsupported parameter: '${param}' is not supported with this model.`);
    }
    const none = await badRequest({ model: 'gpt-5', reasoning_effort: 'none', messages: [{ role: 'user', content: 'hi' }] });
    expect(none.message).toBe("400 Unsupported value: 'reasoning_effort' does not support 'none' with this model. Supported values are: 'minimal', 'low', 'medium', and 'high'.");
    await expect(client.chat.completions.create({ model: 'gpt-4.1', temperature: 0.2, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })).resolves.toBeTruthy();
  });

  it('answers an unknown model with 404 model_not_found', async () => {
    const err = await badRequest({ model: 'gpt-9-ultra', messages: [{ role: 'user', content: 'hi' }] });
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect(err.code).toBe('model_not_found');
    expect(err.message).toBe('404 The model `gpt-9-ultra` does not exist or you do not have access to it.');
  });

  it('rejects an invalid strict function schema naming the path', async () => {
    const parameters = {
      type: 'object',
      properties: { a: { type: 'object', properties: { b: { type: 'string' } }, required: ['b'] } },
      required: ['a'],
      additionalProperties: false,
    };
    const err = await badRequest({ model: 'gpt-5', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'x', strict: true, parameters } }] });
    expect(err.message).toBe("400 Invalid schema for function 'x': In context=('properties', 'a'), 'additionalProperties' is required to be supplied and to be false.");
    expect(err.code).toBe('invalid_function_parameters');
    expect(err.param).toBe('tools[0].function.parameters');
    // The same schema is fine without strict.
    await expect(client.chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'x', parameters } }] })).resolves.toBeTruthy();
  });

  it('rejects an invalid strict response_format schema with invalid_json_schema', async () => {
    const err = await badRequest({
      model: 'gpt-5-mini',
      messages: [{ role: 'user', content: 'x' }],
      response_format: { type: 'json_schema', json_schema: { name: 'rec', strict: true, schema: { type: 'object', properties: { a: { type: 'string', default: 'z' } }, required: ['a'], additionalProperties: false } } },
    });
    expect(err.message).toBe("400 Invalid schema for response_format 'rec': In context=('properties', 'a'), 'default' is not permitted.");
    expect([err.code, err.param]).toEqual(['invalid_json_schema', 'response_format']);
  });

  it('rejects bad function names and non-object parameters', async () => {
    const name = await badRequest({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'has space' } }] });
    expect(name.param).toBe('tools[0].function.name');
    const dict = await badRequest({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'dict' } } }] });
    expect(dict.message).toBe(`400 Invalid schema for function 'f': schema must be a JSON Schema of 'type: "object"', got 'type: "dict"'.`);
  });

  it('rejects a tool message that does not answer a preceding tool call, and unanswered calls', async () => {
    const orphan = await badRequest({ model: 'gpt-5', messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'call_1', content: 'r' }] });
    expect(orphan.message).toBe("400 Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.");
    expect(orphan.param).toBe('messages.[1].role');
    const call = { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } };
    const wrongId = await badRequest({ model: 'gpt-5', messages: [{ role: 'user', content: 'x' }, { role: 'assistant', tool_calls: [call] }, { role: 'tool', tool_call_id: 'call_2', content: 'r' }] });
    expect(wrongId.param).toBe('messages.[2].tool_call_id');
    const unanswered = await badRequest({ model: 'gpt-5', messages: [{ role: 'user', content: 'x' }, { role: 'assistant', tool_calls: [call] }, { role: 'user', content: 'y' }] });
    expect(unanswered.message).toContain('The following tool_call_ids did not have response messages: call_1');
    const objectArgs = await badRequest({ model: 'gpt-5', messages: [{ role: 'user', content: 'x' }, { role: 'assistant', tool_calls: [{ ...call, function: { name: 'f', arguments: {} } }] }, { role: 'tool', tool_call_id: 'call_1', content: 'r' }] });
    expect(objectArgs.param).toBe('messages[1].tool_calls[0].function.arguments');
  });

  it('requires a bearer key (401) and rejects unknown parameters', async () => {
    const res = await fetch(`${server.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^You didn't provide an API key/);
    const unknown = await badRequest({ model: 'gpt-5', messages: [{ role: 'user', content: 'x' }], temprature: 1 });
    expect(unknown.message).toBe('400 Unrecognized request argument supplied: temprature');
  });
});
