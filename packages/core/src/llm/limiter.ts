// Concurrency limits for one model endpoint. Two layers:
//  - an in-process semaphore (cheap, fair, FIFO);
//  - a cross-process limit: N slot files under `<cacheDir>/locks/<sha(baseURL)>/slot-<i>`, each taken
//    with an exclusive create (`wx`) and holding `pid host time`. Every process that talks to the same
//    endpoint through the same cache dir shares them, so `nx run-many` building several datasets at
//    once never has more than N requests in flight against one endpoint.
// A slot whose holder died is taken over: on the same host when its pid is gone, anywhere when the file
// has not been touched for `staleMs` (holders touch their files every staleMs/4 while they hold them).
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeSync, linkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../util/hash';
import { sleep } from '../util/sleep';
import { AUTO_CAP, RateController, SharedPace, type RateHeaders } from './rate-controller';

/**
 * Samples a stage works on at once when the provider does not say (the offline provider, where only
 * live MCP calls wait): generator.concurrency, or 8 for `auto`. The openai provider says
 * (maxParallelSamples): enough samples to keep its adaptive window full.
 */
export function parallelSamples(value: number | 'auto' | undefined): number {
  return typeof value === 'number' && value >= 1 ? Math.floor(value) : 8;
}

/** The upper bound of requests in flight that `generator.concurrency` sets (`auto`: AUTO_CAP). */
export function concurrencyCap(value: number | 'auto' | undefined): number {
  return typeof value === 'number' && value >= 1 ? Math.floor(value) : AUTO_CAP;
}

export type Release = () => void;

/** FIFO counting semaphore. */
export class Semaphore {
  private active = 0;
  private readonly waiters: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async acquire(): Promise<Release> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
    else this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next(); // the permit passes straight to the next waiter
      else this.active--;
    };
  }
}

export interface SlotLockOptions {
  /** A slot file untouched this long is stale (its holder hung or died on another host). */
  staleMs?: number;
  /** Wait between scans when every slot is taken (jittered). */
  pollMs?: number;
}

export const HOST = hostname();

/** The lock directory of an endpoint inside a cache dir (the URL is hashed: no secrets in paths). */
export function endpointLockDir(cacheDir: string, baseURL: string): string {
  return join(cacheDir, 'locks', sha256(baseURL || 'https://api.openai.com/v1').slice(0, 16));
}

/** Whether the process that holds a file (its pid and host, as written in it) died: known only on this host. */
export function holderDied(pid: number, host: string): boolean {
  return host === HOST && pid > 0 && !pidAlive(pid);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class SlotLocks {
  private readonly staleMs: number;
  private readonly pollMs: number;
  private readonly held = new Set<string>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    readonly dir: string,
    readonly slots: number,
    opts: SlotLockOptions = {},
  ) {
    this.staleMs = opts.staleMs ?? 60_000;
    this.pollMs = opts.pollMs ?? 25;
    mkdirSync(dir, { recursive: true });
  }

  async acquire(signal?: AbortSignal): Promise<Release> {
    for (;;) {
      signal?.throwIfAborted();
      const release = this.tryAcquire();
      if (release) return release;
      await new Promise((r) => setTimeout(r, this.pollMs * (0.5 + Math.random())));
    }
  }

  /** A free (or stale) slot now, or undefined: no waiting. */
  tryAcquire(): Release | undefined {
    for (let i = 0; i < this.slots; i++) {
      const path = join(this.dir, `slot-${i}`);
      if (this.tryTake(path)) return this.releaser(path);
    }
    return undefined;
  }

  private tryTake(path: string): boolean {
    if (this.create(path)) return true;
    if (!this.isStale(path)) return false;
    // Move the stale file aside atomically; only one contender wins the rename.
    const aside = `${path}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
    try {
      renameSync(path, aside);
    } catch {
      return false;
    }
    if (!this.isStale(aside)) {
      // Someone took the slot between our check and the rename: give it back.
      try {
        linkSync(aside, path);
      } catch {
        /* the slot was taken again meanwhile; the holder's own file stands */
      }
    }
    try {
      unlinkSync(aside);
    } catch {
      /* already gone */
    }
    return this.create(path);
  }

  private create(path: string): boolean {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${process.pid} ${HOST} ${Date.now()}\n`);
      closeSync(fd);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
    this.held.add(path);
    this.startHeartbeat();
    return true;
  }

  private isStale(path: string): boolean {
    try {
      if (Date.now() - statSync(path).mtimeMs > this.staleMs) return true;
      const [pid, host] = readFileSync(path, 'utf8').trim().split(' ');
      return holderDied(Number(pid), host);
    } catch {
      return false; // gone or unreadable: the next create attempt decides
    }
  }

  private releaser(path: string): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.held.delete(path);
      try {
        unlinkSync(path);
      } catch {
        /* taken over as stale: nothing to release */
      }
      if (!this.held.size) this.stopHeartbeat();
    };
  }

  private startHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      const now = new Date();
      for (const path of this.held) {
        try {
          utimesSync(path, now, now);
        } catch {
          /* removed by a contender after a long stall; the request still completes */
        }
      }
    }, Math.max(1000, this.staleMs / 4));
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}

/** What a request reports back to the endpoint's controller when its attempt ends. */
export interface Permit {
  /** Served: the reply's x-ratelimit-* headers and how long it took. */
  success(headers: RateHeaders, latencyMs: number): void;
  /** Answered 429 rate_limit_exceeded. */
  rateLimited(headers: RateHeaders): void;
  /** Any other failure. */
  failed(): void;
  /** Gives the place back (idempotent; called after any of the above, or alone). */
  release: Release;
}

/**
 * The endpoint's adaptive limit (see rate-controller.ts) in this process, FIFO among local waiters,
 * then a cross-process slot: `nx run-many` building several datasets at once never has more than the
 * cap in flight against one endpoint, and the server's remaining-capacity headers, which count every
 * process's requests, make each process's controller slow down when the account is shared.
 */
export class EndpointLimiter {
  readonly controller: RateController;
  private readonly waiters: (() => void)[] = [];

  constructor(
    cap: number,
    private readonly slots?: SlotLocks,
    opts: { now?: () => number; sleep?: (ms: number, signal?: AbortSignal) => Promise<void> } = {},
  ) {
    // With slot files (a cache dir), the pacing schedule is shared through the same directory.
    this.controller = new RateController({ cap: Math.max(1, cap), now: opts.now, shared: slots ? new SharedPace(slots.dir) : undefined });
    this.sleep = opts.sleep ?? sleep;
  }

  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  /** Waits for a place and for the paced start time of a request reserving `tokens` (prompt + max completion). */
  async acquire(signal?: AbortSignal, tokens = 0): Promise<Permit> {
    if (this.waiters.length || !this.controller.hasRoom()) {
      // FIFO: a waiter woken without room goes back to the head of the queue.
      for (let woken = false; ; woken = true) {
        await new Promise<void>((resolve) => (woken ? this.waiters.unshift(resolve) : this.waiters.push(resolve)));
        signal?.throwIfAborted();
        if (this.controller.hasRoom()) break;
      }
    }
    const delay = this.controller.schedule(tokens);
    this.wakeNext();
    let releaseSlot: Release = () => undefined;
    let done = false;
    const release = () => {
      if (done) return;
      done = true;
      releaseSlot();
      this.controller.finished();
      this.wakeNext();
    };
    try {
      if (delay > 0) await this.sleep(delay, signal);
      if (this.slots) releaseSlot = await this.slots.acquire(signal);
    } catch (err) {
      release();
      throw err;
    }
    return {
      success: (h, ms) => this.controller.success(h, ms),
      rateLimited: (h) => this.controller.rateLimited(h),
      failed: () => this.controller.failed(),
      release,
    };
  }

  /** Lets the first local waiter re-check while there is room (the window can grow or shrink at any time). */
  private wakeNext(): void {
    if (this.waiters.length && this.controller.hasRoom()) this.waiters.shift()!();
  }
}
