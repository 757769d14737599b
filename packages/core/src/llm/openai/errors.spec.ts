import { APIConnectionError, APIError } from 'openai';
import { classify, redactKeys, retryAfterMs } from './errors';
import { backoffMs } from './transport';

const ctx = { baseURL: 'http://x/v1', apiKey: 'sk-secret-abcdef' };
const err = (status: number, body: object, headers: Record<string, string> = {}) => APIError.generate(status, body, undefined, new Headers(headers));

describe('classify', () => {
  it('retries 408/409/429/5xx and connection errors, with the server hint when given', () => {
    expect(classify(err(429, { error: { message: 'slow down', code: 'rate_limit_exceeded' } }, { 'retry-after-ms': '250' }), ctx)).toMatchObject({ kind: 'retry', status: 429, retryAfterMs: 250 });
    for (const s of [408, 409, 500, 503]) expect(classify(err(s, { error: { message: 'x' } }), ctx).kind).toBe('retry');
    expect(classify(new APIConnectionError({ message: 'ECONNREFUSED' }), ctx).kind).toBe('retry');
  });

  it('treats insufficient_quota as fatal QUOTA, and 400/401/404 as fatal LLM errors', () => {
    const quota = classify(err(429, { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } }), ctx);
    expect(quota.kind === 'fatal' && quota.error.code).toBe('QUOTA');
    const bad = classify(err(400, { error: { message: "Unsupported parameter: 'top_p'", param: 'top_p' } }), ctx);
    expect(bad.kind === 'fatal' && bad.error.message).toMatch(/rejected the request \(400, param top_p\): Unsupported parameter/);
    const key = classify(err(401, { error: { message: 'Incorrect API key provided: sk-secret-abcdef.' } }), ctx);
    expect(key.kind === 'fatal' && `${key.error.message} ${key.error.hint}`).not.toContain('sk-secret');
    expect(key.kind === 'fatal' && key.error.hint).toMatch(/OPENAI_API_KEY/);
  });

  it('follows x-should-retry', () => {
    expect(classify(err(400, { error: { message: 'x' } }, { 'x-should-retry': 'true' }), ctx).kind).toBe('retry');
    expect(classify(err(503, { error: { message: 'x' } }, { 'x-should-retry': 'false' }), ctx).kind).toBe('fatal');
  });
});

it('reads retry-after-ms, retry-after seconds and HTTP dates', () => {
  expect(retryAfterMs(new Headers({ 'retry-after-ms': '120.5' }))).toBe(120.5);
  expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
  expect(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4000)).toBe(6000);
  expect(retryAfterMs(new Headers({}))).toBeUndefined();
});

it('backs off exponentially with jitter, capped at 8 s', () => {
  expect(backoffMs(0, () => 0)).toBe(500);
  expect(backoffMs(1, () => 1)).toBe(750);
  expect(backoffMs(10, () => 0)).toBe(8000);
});

it('redacts anything that looks like a key', () => {
  expect(redactKeys('bad key sk-proj-AbC123xyz789 given')).toBe('bad key [redacted key] given');
  expect(redactKeys('token abcdef123 used', 'abcdef123')).toBe('token [redacted key] used');
});
