// A real limiter (requests and tokens per minute) and the x-ratelimit-* headers OpenAI sends with
// every reply. Two models of the limit:
//  - a sliding window (one minute by default), optionally also enforced over a shorter quantum;
//  - OpenAI-style token buckets (`bucketMs`): each limit is a bucket holding `bucketMs` worth of it
//    (1000: one second's share of the per-minute limit), refilled continuously at limit / minute. A
//    request takes 1 from the requests bucket and its tokens (prompt + reserved max completion, as
//    OpenAI counts them) from the tokens bucket; it is refused with 429 when either holds too little.
//    `x-ratelimit-remaining-*` reports the bucket's fill scaled to the per-minute limit (0 = empty),
//    `x-ratelimit-reset-*` the time until it is full again.

export interface Limits {
  /** Requests per window; undefined = unlimited. */
  rpm?: number;
  /** Estimated tokens (prompt + max completion) per window; undefined = unlimited. */
  tpm?: number;
  /** Window length in ms (60 000 = per minute). */
  windowMs: number;
  /**
   * Also enforce the limits over this shorter sliding period, scaled down (OpenAI: "60,000 requests/minute
   * may be enforced as 1,000 requests/second"): with rpm 600 and 1000, at most 10 requests in any second.
   */
  quantumMs?: number;
  /** Token-bucket model instead of the sliding window: buckets holding this many ms of each limit. */
  bucketMs?: number;
}

/** A bucket of `capacity` refilled at `perMs` per ms, starting full. */
export class TokenBucket {
  private level: number;
  private at = 0;
  constructor(
    readonly capacity: number,
    readonly perMs: number,
  ) {
    this.level = capacity;
  }

  private refill(now: number): void {
    if (now > this.at) this.level = Math.min(this.capacity, this.level + (now - this.at) * this.perMs);
    this.at = Math.max(this.at, now);
  }

  fill(now: number): number {
    this.refill(now);
    return this.level;
  }

  /** 0 when `amount` can be taken now (a full bucket takes anything); otherwise ms until it can. */
  waitFor(amount: number, now: number): number {
    this.refill(now);
    if (this.level >= amount || this.level >= this.capacity) return 0;
    return Math.max(1, Math.ceil((Math.min(amount, this.capacity) - this.level) / this.perMs));
  }

  take(amount: number, now: number): void {
    this.refill(now);
    this.level -= amount;
  }

  /** ms until the bucket is full again. */
  resetMs(now: number): number {
    this.refill(now);
    return Math.max(0, (this.capacity - this.level) / this.perMs);
  }
}

/** What the headers report when no limit is set. */
const UNLIMITED_REQUESTS = 10_000;
const UNLIMITED_TOKENS = 30_000_000;

export class SlidingWindow {
  private entries: { at: number; amount: number }[] = [];
  private head = 0;
  private total = 0;
  constructor(private readonly windowMs: () => number) {}

  private prune(now: number): void {
    const w = this.windowMs();
    while (this.head < this.entries.length && this.entries[this.head].at + w <= now) this.total -= this.entries[this.head++].amount;
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  used(now: number): number {
    this.prune(now);
    return this.total;
  }

  /** 0 when `amount` fits under `limit` now; otherwise the ms until it would. */
  waitFor(amount: number, limit: number | undefined, now: number): number {
    this.prune(now);
    if (limit === undefined || this.total + amount <= limit) return 0;
    let freed = 0;
    for (let i = this.head; i < this.entries.length; i++) {
      freed += this.entries[i].amount;
      if (this.total - freed + amount <= limit) return Math.max(1, this.entries[i].at + this.windowMs() - now);
    }
    return this.windowMs(); // larger than the limit itself: it never fits
  }

  add(amount: number, now: number): void {
    this.entries.push({ at: now, amount });
    this.total += amount;
  }

  /** Time until the window is empty again (what `x-ratelimit-reset-*` reports). */
  resetMs(now: number): number {
    this.prune(now);
    const last = this.entries[this.entries.length - 1];
    return this.head < this.entries.length && last ? Math.max(0, last.at + this.windowMs() - now) : 0;
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
    this.total = 0;
  }
}

/** Go-style duration as OpenAI prints it: 120ms, 1s, 17.28s, 6m0s. */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  const seconds = ms / 1000;
  const fmt = (s: number) => String(Math.round(s * 1000) / 1000);
  if (seconds < 60) return `${fmt(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${fmt(seconds - minutes * 60)}s`;
}

export interface RateLimitHit {
  kind: 'requests' | 'tokens';
  retryAfterMs: number;
  limit: number;
  used: number;
  /** Set when the quantized limit (not the whole window's) was hit. */
  quantum?: { limit: number; used: number; ms: number };
}

export class RateLimiter {
  readonly requests: SlidingWindow;
  readonly tokens: SlidingWindow;
  private readonly quantumRequests: SlidingWindow;
  private readonly quantumTokens: SlidingWindow;
  private buckets?: { requests?: TokenBucket; tokens?: TokenBucket };
  constructor(public limits: Limits) {
    this.requests = new SlidingWindow(() => this.limits.windowMs);
    this.tokens = new SlidingWindow(() => this.limits.windowMs);
    this.quantumRequests = new SlidingWindow(() => this.limits.quantumMs ?? this.limits.windowMs);
    this.quantumTokens = new SlidingWindow(() => this.limits.quantumMs ?? this.limits.windowMs);
  }

  /** The buckets of the current limits (rebuilt when the limits object changes). */
  private bucketsFor(): { requests?: TokenBucket; tokens?: TokenBucket } | undefined {
    const { bucketMs, rpm, tpm, windowMs } = this.limits;
    if (!bucketMs) return undefined;
    const make = (limit: number | undefined, old?: TokenBucket) => {
      if (!limit) return undefined;
      const perMs = limit / windowMs;
      const capacity = Math.max(1, perMs * bucketMs);
      return old && old.capacity === capacity && old.perMs === perMs ? old : new TokenBucket(capacity, perMs);
    };
    this.buckets = { requests: make(rpm, this.buckets?.requests), tokens: make(tpm, this.buckets?.tokens) };
    return this.buckets;
  }

  /** Which limit (the window's, else its quantum's) `amount` would break now, and for how long. */
  private check(kind: 'requests' | 'tokens', amount: number, now: number): RateLimitHit | undefined {
    const [window, quantum, limit] = kind === 'requests' ? [this.requests, this.quantumRequests, this.limits.rpm] : [this.tokens, this.quantumTokens, this.limits.tpm];
    const wait = window.waitFor(amount, limit, now);
    if (wait) return { kind, retryAfterMs: wait, limit: limit!, used: window.used(now) };
    const scaled = this.scaled(limit);
    const waitQuantum = quantum.waitFor(amount, scaled, now);
    if (waitQuantum) return { kind, retryAfterMs: waitQuantum, limit: limit!, used: window.used(now), quantum: { limit: scaled!, used: quantum.used(now), ms: this.limits.quantumMs! } };
    return undefined;
  }

  /** A per-window limit scaled to the quantum (at least 1). */
  private scaled(limit: number | undefined): number | undefined {
    const q = this.limits.quantumMs;
    if (limit === undefined || q === undefined || q >= this.limits.windowMs) return undefined;
    return Math.max(1, Math.floor((limit * q) / this.limits.windowMs));
  }

  /** Admits a request of `tokens` estimated tokens, or returns which limit it hit and when to retry. */
  admit(tokens: number, now: number): { ok: true } | ({ ok: false } & RateLimitHit) {
    const buckets = this.bucketsFor();
    if (buckets) {
      for (const [kind, bucket, amount, limit] of [
        ['requests', buckets.requests, 1, this.limits.rpm],
        ['tokens', buckets.tokens, tokens, this.limits.tpm],
      ] as const) {
        const wait = bucket?.waitFor(amount, now) ?? 0;
        if (wait) return { ok: false, kind, retryAfterMs: wait, limit: limit!, used: Math.round(limit! - this.scaledFill(bucket!, limit!, now)) };
      }
      buckets.requests?.take(1, now);
      buckets.tokens?.take(tokens, now);
      return { ok: true };
    }
    const hit = this.check('requests', 1, now) ?? this.check('tokens', tokens, now);
    if (hit) return { ok: false, ...hit };
    this.requests.add(1, now);
    this.tokens.add(tokens, now);
    this.quantumRequests.add(1, now);
    this.quantumTokens.add(tokens, now);
    return { ok: true };
  }

  private scaledFill(bucket: TokenBucket, limit: number, now: number): number {
    return Math.max(0, (bucket.fill(now) / bucket.capacity) * limit);
  }

  headers(now: number): Record<string, string> {
    const rpm = this.limits.rpm ?? UNLIMITED_REQUESTS;
    const tpm = this.limits.tpm ?? UNLIMITED_TOKENS;
    const buckets = this.bucketsFor();
    if (buckets) {
      const part = (limit: number, bucket: TokenBucket | undefined) =>
        bucket ? { remaining: String(Math.floor(this.scaledFill(bucket, limit, now))), reset: goDuration(bucket.resetMs(now)) } : { remaining: String(limit), reset: goDuration(0) };
      const r = part(rpm, buckets.requests);
      const t = part(tpm, buckets.tokens);
      return {
        'x-ratelimit-limit-requests': String(rpm),
        'x-ratelimit-remaining-requests': r.remaining,
        'x-ratelimit-reset-requests': r.reset,
        'x-ratelimit-limit-tokens': String(tpm),
        'x-ratelimit-remaining-tokens': t.remaining,
        'x-ratelimit-reset-tokens': t.reset,
      };
    }
    return {
      'x-ratelimit-limit-requests': String(rpm),
      'x-ratelimit-remaining-requests': String(Math.max(0, rpm - this.requests.used(now))),
      'x-ratelimit-reset-requests': goDuration(this.requests.resetMs(now)),
      'x-ratelimit-limit-tokens': String(tpm),
      'x-ratelimit-remaining-tokens': String(Math.max(0, tpm - this.tokens.used(now))),
      'x-ratelimit-reset-tokens': goDuration(this.tokens.resetMs(now)),
    };
  }
}
