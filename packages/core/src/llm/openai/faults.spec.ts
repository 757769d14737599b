// Faults and limits through the real SDK and HTTP: retried rate limits and server errors lose nothing;
// quota, bad key, unknown model and an unreachable endpoint stop with clear errors; truncated and
// malformed outputs fail their sample with a reason; the budget stops before it is exceeded; a dry
// run sends nothing.
import { ForgeError } from '../../errors';
import { startTestServer } from '../../../../../tools/openai-test-server/src';
import type { ToolDef } from '../../types';
import { OutputError } from './structured';
import { chatRequests, config, context, harness, tool, type Harness } from './spec-helpers';
import { OpenAIProvider } from './provider';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterEach(() => h.server.clearFaults());
afterAll(() => h.done());

async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

it('completes every request with 20% 429s and 5% 500s injected (no sample lost)', async () => {
  h.server.setFaults({ rateLimit: 0.2, serverError: 0.05, retryAfterMs: 10, seed: 3 });
  const p = h.provider({ stage: 'faults', yaml: '  concurrency: 4\n' });
  const t = tool('get_forecast');
  const texts = await Promise.all(Array.from({ length: 40 }, (_, i) => p.userRequest(context([t], 'standard', 1000 + i))));
  expect(texts.every((x) => x.length > 0)).toBe(true);
  const stats = h.server.stats();
  expect(stats.faults.rateLimit).toBeGreaterThan(0);
  expect(stats.faults.serverError).toBeGreaterThan(0);
  expect(p.usage().requests).toBe(40);
});

it('paces to a real limit it learns from the x-ratelimit-* headers: cap 64, 429s without retry-after, nothing lost', async () => {
  // 600 RPM as OpenAI-style buckets holding one second (10 requests), 429s with no retry hint at all.
  const server = await startTestServer({ rpm: 600, rateBucketMs: 1000, retryAfter: 'none' });
  try {
    const p = h.provider({ stage: 'paced', baseURL: server.url, yaml: '  concurrency: 64\n' });
    const t = tool('get_forecast');
    const texts = await Promise.all(Array.from({ length: 40 }, (_, i) => p.userRequest(context([t], 'standard', 2000 + i))));
    expect(texts.every((x) => x.length > 0)).toBe(true);
    const stats = server.stats();
    // Paced below the limit once the first reply told it: at most a handful refused, all retried.
    expect(stats.rateLimited.requests).toBeLessThanOrEqual(6);
    expect(stats.requests.byEndpoint['POST /v1/chat/completions'].total).toBe(40 + stats.rateLimited.requests);
  } finally {
    await server.close();
  }
});

it('stops with a QUOTA error on insufficient_quota (not retried)', async () => {
  h.server.setFaults({ insufficientQuota: 1 });
  const before = chatRequests(h.server);
  const err = await caught(h.provider({ stage: 'quota' }).userRequest(context([tool('get_forecast')], 'standard', 1)));
  expect(err).toBeInstanceOf(ForgeError);
  expect((err as ForgeError).code).toBe('QUOTA');
  expect((err as ForgeError).hint).toMatch(/billing/);
  expect(chatRequests(h.server) - before).toBe(1);
});

it('rejects a truncated output with reason `truncated`', async () => {
  h.server.setFaults({ truncation: 1 });
  const err = await caught(h.provider({ stage: 'trunc' }).userRequest(context([tool('get_forecast')], 'standard', 2)));
  expect(err).toBeInstanceOf(OutputError);
  expect((err as OutputError).reason).toBe('truncated');
  expect(err.message).toMatch(/^truncated: /);
});

it('sizes max_completion_tokens to the kind of request, and asks once more with the full budget after a truncation', async () => {
  const seen: number[] = [];
  const server = await startTestServer({ faults: { truncation: 1 }, onRequest: (r) => void (r.path.endsWith('/chat/completions') && seen.push(JSON.parse(r.body.toString()).max_completion_tokens)) });
  try {
    const err = await caught(h.provider({ stage: 'trunc-sized', baseURL: server.url }).userRequest(context([tool('get_forecast')], 'standard', 3)));
    expect((err as OutputError).reason).toBe('truncated');
    expect(err.message).toMatch(/max_completion_tokens \(4000\)/);
    // gpt-5 at its default effort: a user turn's 400 tokens + 2048 of reasoning, then the full 4000.
    expect(seen).toEqual([2448, 4000]);
  } finally {
    await server.close();
  }
});

it('the augment stage sends paraphrases to augmentation.model (gpt-5-mini for gpt-5) and user turns to generator.model', async () => {
  const seen: string[] = [];
  const server = await startTestServer({ onRequest: (r) => void (r.path.endsWith('/chat/completions') && seen.push(JSON.parse(r.body.toString()).model)) });
  try {
    const p = h.provider({ stage: 'augment', baseURL: server.url });
    await p.paraphrase('What is the weather in Oslo tomorrow?', 5, 'concise');
    await p.userRequest(context([tool('get_forecast')], 'standard', 4));
    expect(seen).toEqual(['gpt-5-mini', 'gpt-5']);
    expect(p.usage().requests).toBe(2);
  } finally {
    await server.close();
  }
});

it('keeps unparseable arguments of a non-strict call as raw, with arguments undefined', async () => {
  h.server.setFaults({ malformedArguments: 1 });
  const open: ToolDef = { name: 'tag_item', serverToolName: 'tag_item', server: 0, description: 'Tag an item', inputSchema: { type: 'object', properties: { tags: { type: 'object', additionalProperties: true } } } };
  const calls = await h.provider({ stage: 'malformed' }).toolCalls(context([open], 'standard', 3, [open]), [{ role: 'user', content: 'Tag the item please.' }]);
  expect(calls[0].arguments).toBeUndefined();
  expect(typeof calls[0].raw).toBe('string');
});

it('says that OPENAI_API_KEY is wrong on a 401, without printing the key', async () => {
  const server = await startTestServer({ apiKey: 'sk-right-key-000000' });
  try {
    const p = h.provider({ stage: 'auth', baseURL: server.url, env: { OPENAI_API_KEY: 'sk-wrong-key-999999' } });
    const err = (await caught(p.userRequest(context([tool('get_forecast')], 'standard', 4)))) as ForgeError;
    expect(err.code).toBe('LLM');
    expect(err.hint).toMatch(/OPENAI_API_KEY is wrong/);
    expect(`${err.message} ${err.hint}`).not.toContain('sk-wrong-key-999999');
  } finally {
    await server.close();
  }
});

it("reports an unknown model with OpenAI's message", async () => {
  const err = (await caught(h.provider({ stage: 'model', model: 'gpt-9-ultra' }).userRequest(context([tool('get_forecast')], 'standard', 5)))) as ForgeError;
  expect(err.code).toBe('LLM');
  expect(err.message).toMatch(/404.*gpt-9-ultra/);
});

it('gives up on an unreachable endpoint after the retries, saying how to resume', async () => {
  const dead = await startTestServer();
  const url = dead.url;
  await dead.close();
  const p = h.provider({ stage: 'dead', baseURL: url, maxRetries: 1 });
  const err = (await caught(p.userRequest(context([tool('get_forecast')], 'standard', 6)))) as ForgeError;
  expect(err.code).toBe('LLM');
  expect(err.message).toContain(`Cannot reach ${url} after 2 attempts`);
  expect(err.hint).toMatch(/run the same command again; completed requests are cached/);
});

it('stops before budget.maxUsd would be exceeded, counting earlier stages', async () => {
  const p = h.provider({ stage: 'budget', yaml: '  maxCompletionTokens: 1000\n  reasoningEffort: minimal\nbudget:\n  maxUsd: 0.03\n' });
  const t = tool('get_forecast');
  let err: ForgeError | undefined;
  let done = 0;
  for (let i = 0; i < 50 && !err; i++) {
    try {
      await p.userRequest(context([t], 'standard', 2000 + i));
      done++;
    } catch (e) {
      err = e as ForgeError;
    }
  }
  expect(done).toBeGreaterThan(0);
  expect(err?.code).toBe('BUDGET');
  expect(err?.message).toMatch(/^budget\.maxUsd \$0\.0300 would be exceeded: spent \$0\.0\d+ so far/);
  expect(p.usage().usd).toBeLessThanOrEqual(0.03);
  expect(p.usage().usd).toBeGreaterThan(0.03 - 0.015);

  const before = chatRequests(h.server);
  const late = h.provider({ stage: 'budget2', spentUsd: 0.029, yaml: '  maxCompletionTokens: 1000\nbudget:\n  maxUsd: 0.03\n' });
  expect(((await caught(late.userRequest(context([t], 'standard', 1))) as ForgeError).code)).toBe('BUDGET');
  expect(chatRequests(h.server)).toBe(before);
});

it('makes no request in a dry run', async () => {
  const before = chatRequests(h.server);
  const err = await caught(h.provider({ stage: 'dry', dryRun: true }).userRequest(context([tool('get_forecast')], 'standard', 7)));
  expect(err.message).toMatch(/Dry run/);
  expect(chatRequests(h.server)).toBe(before);
});

it('keeps two providers on the same endpoint (same lock dir) within the shared limit of 2', async () => {
  h.server.setFaults({ latencyMs: 15 });
  h.server.resetStats();
  const t = tool('get_forecast');
  const a = h.provider({ stage: 'limit-a', yaml: '  concurrency: 2\n' });
  const b = h.provider({ stage: 'limit-b', yaml: '  concurrency: 2\n' });
  await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).userRequest(context([t], 'standard', 3000 + i))));
  const stats = h.server.stats();
  expect(stats.requests.byEndpoint['POST /v1/chat/completions'].total).toBe(16);
  expect(stats.concurrency.peak).toBeLessThanOrEqual(2);
});

it('without OPENAI_API_KEY and no base URL, is built (dry runs need it) and fails clearly at the first request', async () => {
  const keyless = new OpenAIProvider({ cfg: config(), resolved: 'openai', env: { FORGE_CACHE_DIR: h.cacheDir }, stage: 'nokey', dataset: 'weather', root: h.cacheDir });
  const err = (await caught(keyless.userRequest(context([tool('get_forecast')], 'standard', 4000)))) as ForgeError;
  expect(err.code).toBe('LLM');
  expect(err.message).toMatch(/needs OPENAI_API_KEY/);
});
