// The adaptive controller, driven by hand: an injected clock, headers as the server sends them.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUTO_CAP, MAX_PACE, RateController, SharedPace, START_WINDOW, parseGoDuration, readRateHeaders } from './rate-controller';
import { EndpointLimiter, concurrencyCap } from './limiter';

const H500 = { limitRequests: 500, remainingRequests: 480, limitTokens: 30_000_000, remainingTokens: 29_000_000 };

function controller(cap = AUTO_CAP) {
  let now = 0;
  const c = new RateController({ cap, now: () => now });
  return { c, at: (ms: number) => (now = ms) };
}

it('reads Go durations and the x-ratelimit-* headers as OpenAI sends them', () => {
  expect(parseGoDuration('20ms')).toBe(20);
  expect(parseGoDuration('1s')).toBe(1000);
  expect(parseGoDuration('17.28s')).toBe(17280);
  expect(parseGoDuration('6m0s')).toBe(360_000);
  expect(parseGoDuration('1h2m3s')).toBe(3_723_000);
  expect(parseGoDuration('soon')).toBeUndefined();
  const h = new Headers({ 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '59', 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-limit-tokens': '150000', 'x-ratelimit-remaining-tokens': '149984', 'x-ratelimit-reset-tokens': '6m0s' });
  expect(readRateHeaders(h)).toEqual({ limitRequests: 60, remainingRequests: 59, resetRequestsMs: 1000, limitTokens: 150000, remainingTokens: 149984, resetTokensMs: 360_000 });
  expect(readRateHeaders(undefined)).toEqual({});
});

it('starts modestly, then opens the window to what the reported limit and the latency need, pacing below the limit', () => {
  const { c } = controller();
  expect(c.snapshot().window).toBe(START_WINDOW);
  for (let i = 0; i < START_WINDOW; i++) expect(c.schedule(100)).toBe(0); // nothing known yet: no pacing
  expect(c.hasRoom()).toBe(false);
  c.success(H500, 3000);
  c.finished();
  // 500 RPM at 3 s latency: about 500 * 0.92 / 60 * 3 = 23 in flight, with headroom.
  const { window, rpm } = c.snapshot();
  expect(rpm).toBe(500);
  expect(window).toBeGreaterThanOrEqual(25);
  expect(window).toBeLessThanOrEqual(40);
  // Starts are now spaced 60 000 / (500 * 0.92) ms apart.
  const gap = 60_000 / (500 * MAX_PACE);
  const waits = Array.from({ length: 5 }, () => c.schedule(100));
  expect(waits[0]).toBe(0);
  expect(waits[4] - waits[3]).toBeCloseTo(gap);
});

it('never exceeds the configured upper bound', () => {
  const { c } = controller(3);
  c.schedule(0);
  c.success(H500, 10_000);
  expect(c.snapshot().window).toBe(3);
});

it('paces by the token limit when it binds: reserved tokens per minute stay below tpm', () => {
  const { c } = controller();
  c.schedule(2000);
  c.success({ limitRequests: 10_000, remainingRequests: 9_000, limitTokens: 400_000, remainingTokens: 300_000 }, 3000);
  c.finished();
  const waits = Array.from({ length: 11 }, () => c.schedule(2000));
  // 2000 tokens each at 400k * 0.92 per minute: one every 326 ms.
  expect(waits[10] - waits[9]).toBeCloseTo((2000 * 60_000) / (400_000 * MAX_PACE));
  // Window sized for the token-bound rate: about 3 s * 3 per second, with headroom.
  expect(c.snapshot().window).toBeLessThan(20);
});

it('a sporadic 429 does not slow the others: window and pace stay', () => {
  const { c, at } = controller();
  c.schedule(0);
  c.success(H500, 200);
  const before = c.snapshot();
  let t = 0;
  for (let i = 0; i < 200; i++) {
    at((t += 100));
    if (i % 5 === 0) c.rateLimited(H500); // 20% of the outcomes
    else c.success(H500, 200);
  }
  expect(c.snapshot().pace).toBe(before.pace);
  expect(c.snapshot().window).toBe(before.window);
});

it('shrinks on overload (a run of 429s) and grows back as requests are served', () => {
  const { c, at } = controller();
  c.schedule(0);
  c.success(H500, 1000);
  const open = c.snapshot();
  let t = 0;
  for (let i = 0; i < 40; i++) {
    at((t += 100));
    c.rateLimited({ ...H500, remainingRequests: 0 });
  }
  const shrunk = c.snapshot();
  expect(shrunk.pace).toBeLessThan(open.pace);
  expect(shrunk.window).toBeLessThan(open.window);
  for (let i = 0; i < 400; i++) {
    at((t += 100));
    c.success(H500, 1000);
  }
  expect(c.snapshot().pace).toBeCloseTo(MAX_PACE);
  expect(c.snapshot().window).toBe(open.window);
});

it('slows down when the server reports the capacity nearly used up (another process on the same account)', () => {
  const { c, at } = controller();
  c.schedule(0);
  c.success(H500, 1000);
  at(5000);
  c.success({ ...H500, remainingRequests: 3 }, 1000);
  expect(c.snapshot().pace).toBeLessThan(MAX_PACE);
});

it('without headers: grows by one per success until the first 429 halves the window, then additively', () => {
  const { c, at } = controller();
  for (let i = 0; i < 10; i++) c.success({}, 100);
  expect(c.snapshot().window).toBe(START_WINDOW + 10);
  at(1000);
  c.rateLimited({});
  expect(c.snapshot().window).toBe(Math.floor((START_WINDOW + 10) / 2));
  const w = c.snapshot().window;
  for (let i = 0; i < 2 * w; i++) c.success({}, 100); // about one more per window of successes
  expect(c.snapshot().window).toBeGreaterThan(w + 1);
  expect(c.snapshot().window).toBeLessThan(w + 2);
});

it('the endpoint limiter waits for room and for the paced start, FIFO', async () => {
  const now = 0;
  const slept: number[] = [];
  const limiter = new EndpointLimiter(2, undefined, { now: () => now, sleep: async (ms) => void slept.push(ms) });
  const a = await limiter.acquire(undefined, 0);
  const b = await limiter.acquire(undefined, 0);
  const order: string[] = [];
  const c = limiter.acquire(undefined, 0).then((p) => (order.push('c'), p));
  const d = limiter.acquire(undefined, 0).then((p) => (order.push('d'), p));
  await Promise.resolve();
  expect(order).toEqual([]); // cap 2: both wait
  a.success(H500, 1000);
  a.release();
  (await c).release();
  b.release();
  (await d).release();
  expect(order).toEqual(['c', 'd']);
  // Once the limit is known, the second start after it waits one paced gap.
  expect(slept.length).toBe(1);
  expect(slept[0]).toBeCloseTo(60_000 / (500 * MAX_PACE));
});

it('generator.concurrency: auto is the AUTO_CAP bound, a number caps it', () => {
  expect(concurrencyCap('auto')).toBe(AUTO_CAP);
  expect(concurrencyCap(16)).toBe(16);
});

it('processes on the same endpoint share one pacing schedule (a file next to the slot files)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'forge-pace-'));
  try {
    let now = 0;
    const a = new RateController({ cap: 64, now: () => now, shared: new SharedPace(dir) });
    const b = new RateController({ cap: 64, now: () => now, shared: new SharedPace(dir) });
    for (const c of [a, b]) {
      c.schedule(0);
      c.success(H500, 1000);
    }
    now = 10_000;
    const gap = 60_000 / (500 * MAX_PACE);
    // Alternating between the two, every start is one gap after the previous one, as for one process.
    const waits = [a.schedule(0), b.schedule(0), a.schedule(0), b.schedule(0)];
    expect(waits[0]).toBe(0);
    for (let i = 1; i < 4; i++) expect(waits[i]).toBeCloseTo(i * gap);
    expect(existsSync(join(dir, 'pace.lock'))).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
