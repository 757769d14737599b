// What every route shares: options, faults, limiter, counters, caches and stores.
import type { BatchManager } from './batches';
import type { Faults } from './faults';
import type { FileStore } from './files';
import type { PromptCache } from './prompt-cache';
import type { RateLimiter } from './rate-limit';
import type { StatsCollector } from './stats';
import type { EvalOracle } from './eval-oracle';

export interface ServerState {
  faults: Faults;
  /** Position of the next request in the fault sequence (restarts when faults are set). */
  faultCounter: number;
  limiter: RateLimiter;
  /** Retry hints sent with the limiter's 429s (see TestServerOptions.retryAfter). */
  retryAfter: 'ms' | 'seconds' | 'none';
  stats: StatsCollector;
  promptCache: PromptCache;
  files: FileStore;
  batches: BatchManager;
  /** Number of replies built so far (keeps reply ids distinct). */
  serial: number;
  apiKey?: string;
  maxBodyBytes: number;
  now(): number;
  /** Evaluation mode (POST /_eval or --eval-truth): answers from a truth file. */
  evalOracle?: EvalOracle;
}

/** A finished reply, written in one place (after the latency fault). */
export interface Reply {
  status: number;
  /** JSON body; ignored when `raw` or `events` is set. */
  body?: unknown;
  raw?: Buffer;
  /** Server-sent events (streamed chat completions), without the `data: ` prefix. */
  events?: string[];
  contentType?: string;
  headers?: Record<string, string>;
  /** The `model` the request named, for per-model stats. */
  model?: string;
}
