// OpenAI-style token buckets: a bucket holds `bucketMs` of the per-minute limit, refills continuously,
// and the x-ratelimit-* headers report its fill and the time until it is full again.
import { RateLimiter, TokenBucket } from './rate-limit';

it('a bucket refuses what it does not hold and says how long until it does', () => {
  const b = new TokenBucket(10, 0.01); // 10 units, refilled at 10 per second
  expect(b.waitFor(10, 0)).toBe(0);
  b.take(10, 0);
  expect(b.waitFor(1, 0)).toBe(100);
  expect(b.waitFor(1, 100)).toBe(0);
  expect(b.resetMs(100)).toBeCloseTo(900);
  expect(b.fill(5000)).toBe(10); // never above capacity
});

it('admits 500 RPM as one second of burst (8.33) then the refill rate, and reports it in the headers', () => {
  const limiter = new RateLimiter({ rpm: 500, windowMs: 60_000, bucketMs: 1000 });
  let admitted = 0;
  while (limiter.admit(0, 0).ok) admitted++;
  expect(admitted).toBe(8);
  const refused = limiter.admit(0, 0);
  expect(refused).toMatchObject({ ok: false, kind: 'requests', limit: 500 });
  const h = limiter.headers(0);
  expect(h['x-ratelimit-limit-requests']).toBe('500');
  expect(Number(h['x-ratelimit-remaining-requests'])).toBeLessThan(500 * 0.05);
  expect(h['x-ratelimit-reset-requests']).toBe('960ms');
  // 120 ms later one more request fits (500 per minute = one every 120 ms).
  expect(limiter.admit(0, 120).ok).toBe(true);
  expect(limiter.admit(0, 120).ok).toBe(false);
});

it('counts prompt plus reserved completion tokens against the TPM bucket', () => {
  const limiter = new RateLimiter({ tpm: 60_000, windowMs: 60_000, bucketMs: 1000 }); // 1000 tokens a second
  expect(limiter.admit(600, 0).ok).toBe(true);
  const refused = limiter.admit(600, 0);
  expect(refused).toMatchObject({ ok: false, kind: 'tokens', retryAfterMs: 200 });
  expect(limiter.headers(0)['x-ratelimit-remaining-tokens']).toBe('24000');
  expect(limiter.admit(600, 200).ok).toBe(true);
});
