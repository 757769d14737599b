// Adaptive concurrency and pacing for one model endpoint, driven by what the server reports.
//
// - Limits: every OpenAI reply carries `x-ratelimit-limit-requests/-tokens` (per minute),
//   `x-ratelimit-remaining-*` and `x-ratelimit-reset-*` (Go durations: `20ms`, `1.5s`, `6m0s`).
//   Once known, requests are paced (a virtual schedule, GCRA) at `pace` × the limit: one request every
//   60 000 / (rpm × pace) ms, and the tokens each request reserves (prompt estimate +
//   max_completion_tokens, as OpenAI counts them) at tpm × pace per minute. Pacing below the limit
//   means a bucket that holds even one second of the limit never runs dry, so no 429 storm.
// - Concurrency window: enough requests in flight to sustain the paced rate at the observed latency
//   (Little's law, with headroom), never above the cap (`generator.concurrency`, or AUTO_CAP for
//   `auto`). Before any limit is known it starts at START_WINDOW and grows by one per success (slow
//   start); without headers it keeps growing additively while no 429 comes back.
// - Overload: when 429s pile up (more than OVERLOAD_SHARE of the recent outcomes), or when the server
//   reports that the remaining capacity is nearly used up (someone else, e.g. another process building
//   another dataset, uses the same account), pace and window shrink multiplicatively and grow back
//   slowly. A sporadic 429 changes nothing for the others: only the refused request waits as long as
//   the server asked (its retry-after).
// - Across processes: with a SharedPace (a small file next to the endpoint's slot files), the virtual
//   schedule is one for every process on the endpoint, so `nx run-many` building several datasets at
//   once paces them together to the one account limit instead of each to all of it.
// Deterministic: the clock is injected; `schedule` only computes when a request may start.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
export const AUTO_CAP = 256;
/** Window before anything is known about the endpoint. */
export const START_WINDOW = 4;
/** Share of the reported limit to pace at when nothing suggests sharing the account. */
export const MAX_PACE = 0.92;
const MIN_PACE = 0.1;
/** Recent outcomes (success / 429) over which the 429 share is measured. */
const RECENT = 40;
/** More 429s than this share of the recent outcomes is overload, not sporadic. */
export const OVERLOAD_SHARE = 0.35;
/** Remaining capacity below this share of the limit: the account is used by others too. */
const LOW_REMAINING = 0.05;

export interface RateHeaders {
  limitRequests?: number;
  limitTokens?: number;
  remainingRequests?: number;
  remainingTokens?: number;
  resetRequestsMs?: number;
  resetTokensMs?: number;
}

/** Go-style durations as OpenAI prints them (`120ms`, `1s`, `17.28s`, `6m0s`, `1h2m3s`); undefined when unreadable. */
export function parseGoDuration(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000; // bare seconds
  const re = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    const n = Number(m[1]);
    const unit = m[2];
    total += unit === 'h' ? n * 3_600_000 : unit === 'm' ? n * 60_000 : unit === 's' ? n * 1000 : unit === 'ms' ? n : unit === 'ns' ? n / 1e6 : n / 1000;
    matched = re.lastIndex;
  }
  return matched === s.length && matched > 0 ? total : undefined;
}

/** The x-ratelimit-* headers of a reply (any object with `get`, as fetch's Headers). */
export function readRateHeaders(headers: { get(name: string): string | null } | undefined): RateHeaders {
  if (!headers || typeof headers.get !== 'function') return {};
  const num = (name: string) => {
    const raw = headers.get(name);
    if (raw === null || raw === '') return undefined;
    const n = Number(raw);
    return Number.isFinite(n) && n >= 0 ? n : undefined;
  };
  return {
    limitRequests: num('x-ratelimit-limit-requests'),
    limitTokens: num('x-ratelimit-limit-tokens'),
    remainingRequests: num('x-ratelimit-remaining-requests'),
    remainingTokens: num('x-ratelimit-remaining-tokens'),
    resetRequestsMs: parseGoDuration(headers.get('x-ratelimit-reset-requests')),
    resetTokensMs: parseGoDuration(headers.get('x-ratelimit-reset-tokens')),
  };
}

export interface ControllerOptions {
  /** Upper bound of requests in flight (generator.concurrency; AUTO_CAP for `auto`). */
  cap: number;
  now?: () => number;
  /** The schedule shared with other processes on the same endpoint. */
  shared?: SharedPace;
}

/** Virtual start times (ms) of the next request and of the next token reservation. */
export interface PaceState {
  requestsAt: number;
  tokensAt: number;
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * The pacing schedule of one endpoint in a file (`<lockDir>/pace`), updated under a short exclusive
 * lock (`pace.lock`, created with `wx`; one older than a second is a dead holder's and is removed). If
 * the lock cannot be had within about 200 ms the update is made in memory only (pacing degrades to
 * per process, never stops).
 */
export class SharedPace {
  private readonly file: string;
  private readonly lock: string;
  private local: PaceState = { requestsAt: 0, tokensAt: 0 };

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'pace');
    this.lock = join(dir, 'pace.lock');
  }

  update(fn: (state: PaceState) => PaceState): PaceState {
    const locked = this.take();
    try {
      const next = fn(locked ? this.read() : this.local);
      this.local = next;
      if (locked) {
        const tmp = `${this.file}.${process.pid}`;
        writeFileSync(tmp, `${next.requestsAt} ${next.tokensAt}\n`);
        renameSync(tmp, this.file);
      }
      return next;
    } finally {
      if (locked) this.give();
    }
  }

  private read(): PaceState {
    try {
      const [r, t] = readFileSync(this.file, 'utf8').trim().split(' ').map(Number);
      return { requestsAt: Number.isFinite(r) ? r : 0, tokensAt: Number.isFinite(t) ? t : 0 };
    } catch {
      return { requestsAt: 0, tokensAt: 0 };
    }
  }

  private take(): boolean {
    for (let i = 0; i < 200; i++) {
      try {
        closeSync(openSync(this.lock, 'wx'));
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return false;
        try {
          if (Date.now() - statSync(this.lock).mtimeMs > 1000) unlinkSync(this.lock);
        } catch {
          /* released meanwhile */
        }
        sleepSync(1);
      }
    }
    return false;
  }

  private give(): void {
    try {
      unlinkSync(this.lock);
    } catch {
      /* removed as stale by another process */
    }
  }
}

export interface ControllerSnapshot {
  window: number;
  pace: number;
  rpm?: number;
  tpm?: number;
  latencyMs?: number;
  inFlight: number;
}

export class RateController {
  private readonly cap: number;
  private readonly now: () => number;
  private window: number;
  private pace = MAX_PACE;
  private rpm?: number;
  private tpm?: number;
  /** Virtual times at which the next request / the next token reservation may start (GCRA). */
  private pace0: PaceState = { requestsAt: 0, tokensAt: 0 };
  private readonly shared?: SharedPace;
  private latencyMs?: number;
  private tokensPerRequest?: number;
  private readonly recent: boolean[] = [];
  /** Set by the first 429 when no limit is known: from then on the window grows additively. */
  private probing = true;
  private lastShrink = -Infinity;
  inFlight = 0;

  constructor(opts: ControllerOptions) {
    this.cap = Math.max(1, Math.floor(opts.cap));
    this.now = opts.now ?? Date.now;
    this.window = Math.min(this.cap, START_WINDOW);
    this.shared = opts.shared;
  }

  snapshot(): ControllerSnapshot {
    return { window: this.window, pace: this.pace, rpm: this.rpm, tpm: this.tpm, latencyMs: this.latencyMs, inFlight: this.inFlight };
  }

  /** May one more request be in flight now? */
  hasRoom(): boolean {
    return this.inFlight < Math.floor(this.window);
  }

  /**
   * Books a start for a request reserving `tokens` and returns how long to wait before sending it
   * (0 = now). Call only when `hasRoom()`; counts the request as in flight.
   */
  schedule(tokens: number): number {
    const now = this.now();
    let at = now;
    const rpm = this.rpm;
    const tpm = this.tpm;
    if (rpm || (tpm && tokens > 0)) {
      const book = (s: PaceState): PaceState => {
        const next = { ...s };
        if (rpm) {
          at = Math.max(at, s.requestsAt);
          next.requestsAt = Math.max(now, s.requestsAt) + 60_000 / (rpm * this.pace);
        }
        if (tpm && tokens > 0) {
          at = Math.max(at, s.tokensAt);
          next.tokensAt = Math.max(now, s.tokensAt) + (tokens * 60_000) / (tpm * this.pace);
        }
        return next;
      };
      this.pace0 = this.shared ? this.shared.update(book) : book(this.pace0);
    }
    this.tokensPerRequest = this.tokensPerRequest === undefined ? tokens : this.tokensPerRequest * 0.9 + tokens * 0.1;
    this.inFlight++;
    return at - now;
  }

  /** The request ended (any outcome) and gave its place back. */
  finished(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  success(headers: RateHeaders, latencyMs: number): void {
    this.observe(false);
    this.learn(headers);
    this.latencyMs = this.latencyMs === undefined ? latencyMs : this.latencyMs * 0.8 + latencyMs * 0.2;
    const low =
      (headers.limitRequests && headers.remainingRequests !== undefined && headers.remainingRequests < headers.limitRequests * LOW_REMAINING) ||
      (headers.limitTokens && headers.remainingTokens !== undefined && headers.remainingTokens < headers.limitTokens * LOW_REMAINING);
    if (low) this.shrink(0.9, 0.9);
    else this.pace = Math.min(MAX_PACE, this.pace * 1.01);
    if (this.rpm || this.tpm) this.window = Math.max(1, Math.min(this.cap, this.needed()));
    else this.window = Math.min(this.cap, this.window + (this.probing ? 1 : 1 / this.window));
  }

  /** A 429 (rate_limit_exceeded). Returns nothing: the refused request waits its own retry-after. */
  rateLimited(headers: RateHeaders): void {
    this.observe(true);
    this.learn(headers);
    const known = !!(this.rpm || this.tpm);
    if (!known && this.probing) {
      // The first 429 before any limit is known: the window found the limit's neighbourhood.
      this.probing = false;
      this.shrink(1, 0.5);
      return;
    }
    if (this.share429() > OVERLOAD_SHARE) this.shrink(0.8, 0.7);
  }

  /** Other failures (5xx, timeouts): only a storm of them shrinks the window (no change to pacing). */
  failed(): void {
    this.observe(true);
    if (this.share429() > OVERLOAD_SHARE) this.shrink(1, 0.7);
  }

  /** Requests in flight needed to sustain the paced rate at the observed latency, with headroom. */
  private needed(): number {
    const perMs = Math.min(this.rpm ? (this.rpm * this.pace) / 60_000 : Infinity, this.tpm && this.tokensPerRequest ? (this.tpm * this.pace) / 60_000 / this.tokensPerRequest : Infinity);
    if (!Number.isFinite(perMs)) return this.window;
    return Math.ceil(perMs * (this.latencyMs ?? 1000) * 1.3) + 2;
  }

  private learn(h: RateHeaders): void {
    if (h.limitRequests) this.rpm = h.limitRequests;
    if (h.limitTokens) this.tpm = h.limitTokens;
  }

  private observe(bad: boolean): void {
    this.recent.push(bad);
    if (this.recent.length > RECENT) this.recent.shift();
  }

  private share429(): number {
    if (this.recent.length < 10) return 0;
    return this.recent.filter(Boolean).length / this.recent.length;
  }

  /** At most once per latency period (the outcomes of one round answer for one decision). */
  private shrink(paceFactor: number, windowFactor: number): void {
    const now = this.now();
    if (now - this.lastShrink < (this.latencyMs ?? 500)) return;
    this.lastShrink = now;
    this.pace = Math.max(MIN_PACE, this.pace * paceFactor);
    this.window = Math.max(1, Math.floor(this.window * windowFactor));
    // Reset the outcome history so the next decision is made on fresh evidence.
    this.recent.length = 0;
  }
}
