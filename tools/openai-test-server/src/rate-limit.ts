// A real sliding-window limiter (requests and tokens per window, one minute by default) and the
// x-ratelimit-* headers OpenAI sends with every reply.

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
  constructor(public limits: Limits) {
    this.requests = new SlidingWindow(() => this.limits.windowMs);
    this.tokens = new SlidingWindow(() => this.limits.windowMs);
    this.quantumRequests = new SlidingWindow(() => this.limits.quantumMs ?? this.limits.windowMs);
    this.quantumTokens = new SlidingWindow(() => this.limits.quantumMs ?? this.limits.windowMs);
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
    const hit = this.check('requests', 1, now) ?? this.check('tokens', tokens, now);
    if (hit) return { ok: false, ...hit };
    this.requests.add(1, now);
    this.tokens.add(tokens, now);
    this.quantumRequests.add(1, now);
    this.quantumTokens.add(tokens, now);
    return { ok: true };
  }

  headers(now: number): Record<string, string> {
    const rpm = this.limits.rpm ?? UNLIMITED_REQUESTS;
    const tpm = this.limits.tpm ?? UNLIMITED_TOKENS;
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
