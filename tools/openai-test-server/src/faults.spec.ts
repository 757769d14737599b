// Injected faults and the real rate limiter, through the openai SDK.
import OpenAI, { type APIError } from 'openai';
import type { Faults } from './faults';
import { startTestServer, type TestServer } from './server';
import type { ServerStats } from './stats';

const hello = { model: 'gpt-5-mini', messages: [{ role: 'user' as const, content: 'hello' }] };
const looseTool = {
  type: 'function' as const,
  function: { name: 'lookup_order', parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] } },
};

let server: TestServer;
const client = (maxRetries = 0) => new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries });

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.close());

async function failure(p: Promise<unknown>): Promise<APIError> {
  try {
    await p;
  } catch (err) {
    return err as APIError;
  }
  throw new Error('expected the request to fail');
}

describe('injected faults', () => {
  it('answers 429 rate_limit_exceeded with retry headers, which the SDK honours when retrying', async () => {
    server.setFaults({ rateLimit: 1, retryAfterMs: 20 });
    const err = await failure(client().chat.completions.create(hello));
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.code).toBe('rate_limit_exceeded');
    expect(err.headers?.get('retry-after-ms')).toBe('20');
    expect(err.headers?.get('retry-after')).toBe('1');
    for (const h of ['x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests', 'x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens']) {
      expect(err.headers?.get(h)).toBeTruthy();
    }
    expect(err.headers?.get('x-ratelimit-remaining-requests')).toBe('0');

    const base = server.url.replace(/\/v1$/, '');
    await fetch(`${base}/_stats/reset`, { method: 'POST' });
    await failure(client(2).chat.completions.create(hello));
    // 1 attempt + 2 retries, each answered by the server.
    const stats = (await (await fetch(`${base}/_stats`)).json()) as ServerStats;
    expect(stats.requests.byEndpoint['POST /v1/chat/completions']).toEqual({ total: 3, '429': 3 });
    expect(stats.faults.rateLimit).toBe(3);
  });

  it('lets a retrying client through a partial 429 share, deterministically for a fault seed', async () => {
    const run = async () => {
      server.setFaults({ rateLimit: 0.5, retryAfterMs: 1, seed: 7 });
      server.resetStats();
      for (let i = 0; i < 6; i++) await client(10).chat.completions.create(hello);
      return server.stats().requests.byStatus;
    };
    const first = await run();
    expect(first['200']).toBe(6);
    expect(first['429']).toBeGreaterThan(0);
    expect(await run()).toEqual(first);
  });

  it('answers insufficient_quota with the exact API error', async () => {
    server.setFaults({ insufficientQuota: 1 });
    const err = await failure(client().chat.completions.create(hello));
    expect(err.status).toBe(429);
    expect(err.code).toBe('insufficient_quota');
    expect(err.type).toBe('insufficient_quota');
    expect(err.message).toBe('429 You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.');
  });

  it('answers 500 server_error', async () => {
    server.setFaults({ serverError: 1 });
    const err = await failure(client().chat.completions.create(hello));
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err.type).toBe('server_error');
  });

  it('truncates replies: finish_reason length, tool arguments cut mid-JSON', async () => {
    server.setFaults({ truncation: 1 });
    const text = await client().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Tell me about the sea' }] });
    expect(text.choices[0].finish_reason).toBe('length');
    const res = await client().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'order 5' }], tools: [looseTool], tool_choice: 'required' });
    expect(res.choices[0].finish_reason).toBe('length');
    const call = res.choices[0].message.tool_calls![0];
    expect(() => JSON.parse(call.type === 'function' ? call.function.arguments : '')).toThrow();
    server.clearFaults();
    const whole = await client().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Tell me about the sea' }] });
    expect(whole.choices[0].message.content!.startsWith(text.choices[0].message.content!)).toBe(true);
    expect(whole.choices[0].message.content!.length).toBeGreaterThan(text.choices[0].message.content!.length);
  });

  it('breaks the JSON arguments of non-strict tool calls only', async () => {
    server.setFaults({ malformedArguments: 1 });
    const strictTool = { type: 'function' as const, function: { ...looseTool.function, name: 'strict_lookup', strict: true, parameters: { ...looseTool.function.parameters, additionalProperties: false } } };
    const res = await client().chat.completions.create({ model: 'gpt-5', messages: [{ role: 'user', content: 'lookup order and strict lookup' }], tools: [looseTool, strictTool], tool_choice: 'required' });
    const [loose, strict] = res.choices[0].message.tool_calls!.map((c) => (c.type === 'function' ? c.function.arguments : ''));
    expect(() => JSON.parse(loose)).toThrow();
    expect(JSON.parse(strict)).toHaveProperty('order_id');
    expect(server.stats().faults.malformedArguments).toBe(1);
  });

  it('accepts faults over HTTP at POST /_faults and rejects unknown ones', async () => {
    const base = server.url.replace(/\/v1$/, '');
    const ok = await fetch(`${base}/_faults`, { method: 'POST', body: JSON.stringify({ serverError: 1 }) });
    expect(((await ok.json()) as Faults).serverError).toBe(1);
    expect((await failure(client().chat.completions.create(hello))).status).toBe(500);
    const bad = await fetch(`${base}/_faults`, { method: 'POST', body: JSON.stringify({ serverErrors: 1 }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("Unknown fault 'serverErrors'");
  });

  it('delays replies by latencyMs and tracks concurrent requests', async () => {
    server.setFaults({ latencyMs: 150 });
    await Promise.all(Array.from({ length: 4 }, () => client().chat.completions.create(hello)));
    expect(server.stats().concurrency.peak).toBeGreaterThan(1);
    expect(server.stats().concurrency.current).toBe(0);
  });
});

describe('real rate limit', () => {
  it('answers 429 past rpm, with retry-after-ms until the oldest request leaves the window', async () => {
    server.setLimits({ rpm: 2 });
    await client().chat.completions.create(hello);
    const ok = await client().chat.completions.create(hello).withResponse();
    expect(ok.response.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(ok.response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const err = await failure(client().chat.completions.create(hello));
    expect(err.status).toBe(429);
    expect(err.type).toBe('requests');
    expect(err.code).toBe('rate_limit_exceeded');
    expect(err.message).toMatch(/on requests per min \(RPM\): Limit 2, Used 2, Requested 1\. Please try again in \d+(\.\d+)?s\./);
    const wait = Number(err.headers?.get('retry-after-ms'));
    expect(wait).toBeGreaterThan(50_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    expect(err.headers?.get('retry-after')).toBe(String(Math.ceil(wait / 1000)));
    expect(server.stats().rateLimited.requests).toBe(1);
  });

  it('admits requests again once the window has moved on (clock-driven)', async () => {
    await server.close();
    let now = 1_000_000;
    server = await startTestServer({ rpm: 1, now: () => now });
    await client().chat.completions.create(hello);
    const err = await failure(client().chat.completions.create(hello));
    expect(Number(err.headers?.get('retry-after-ms'))).toBe(60_000);
    now += 30_000;
    const later = await failure(client().chat.completions.create(hello));
    expect(Number(later.headers?.get('retry-after-ms'))).toBe(30_000);
    now += 30_000;
    await expect(client().chat.completions.create(hello)).resolves.toBeTruthy();
  });

  it('enforces rpm per second too when quantized, as the API may (600 RPM = 10 in any second)', async () => {
    await server.close();
    let now = 2_000_000;
    server = await startTestServer({ rpm: 600, rateQuantumMs: 1000, now: () => now });
    for (let i = 0; i < 10; i++) {
      await client().chat.completions.create(hello);
      now += 10;
    }
    const err = await failure(client().chat.completions.create(hello));
    expect(err.status).toBe(429);
    // The first of the ten leaves the one-second window 1000 ms after it came, 100 ms ago.
    expect(Number(err.headers?.get('retry-after-ms'))).toBe(900);
    expect(err.headers?.get('x-ratelimit-limit-requests')).toBe('600');
    expect(err.message).toContain('Limit 600, Used 10 (enforced as 10 per 1s, 10 used), Requested 1.');
    now += 900;
    await expect(client().chat.completions.create(hello)).resolves.toBeTruthy();
  });

  it('limits estimated tokens per minute with tpm', async () => {
    server.setLimits({ tpm: 500 });
    await client().chat.completions.create({ ...hello, max_completion_tokens: 300 });
    const err = await failure(client().chat.completions.create({ ...hello, max_completion_tokens: 300 }));
    expect([err.status, err.type]).toEqual([429, 'tokens']);
    expect(err.message).toContain('tokens per min (TPM): Limit 500');
  });
});
