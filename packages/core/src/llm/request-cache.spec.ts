import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestCache, cacheDirFor, requestKey } from './request-cache';

describe('request cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'forge-rc-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keys by canonical content: key order does not matter, any change of body, provider or endpoint does', () => {
    const body = { model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 10 };
    const k = requestKey({ provider: 'openai', baseURL: 'http://x/v1', body });
    expect(requestKey({ provider: 'openai', baseURL: 'http://x/v1/', body: { max_completion_tokens: 10, messages: body.messages, model: 'gpt-5' } })).toBe(k);
    expect(requestKey({ provider: 'openai', baseURL: 'http://x/v1', body: { ...body, model: 'gpt-5-mini' } })).not.toBe(k);
    expect(requestKey({ provider: 'openai', baseURL: 'http://y/v1', body })).not.toBe(k);
    expect(requestKey({ provider: 'offline', baseURL: 'http://x/v1', body })).not.toBe(k);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
  });

  it('stores and returns responses; a missing key is undefined', async () => {
    const cache = new RequestCache(dir);
    expect(await cache.get('nope')).toBeUndefined();
    await cache.put('k1', { choices: [{ message: { content: 'x' } }] });
    expect(await cache.get('k1')).toEqual({ choices: [{ message: { content: 'x' } }] });
    expect(await new RequestCache(dir).has('k1')).toBe(true);
  });

  it('lives in FORGE_CACHE_DIR or <root>/.forge/cache', () => {
    expect(cacheDirFor('/ws', {})).toBe(join('/ws', '.forge', 'cache'));
    expect(cacheDirFor('/ws', { FORGE_CACHE_DIR: '/elsewhere' })).toBe('/elsewhere');
  });
});
