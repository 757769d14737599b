// Counters that tests and benchmarks read back through `server.stats()` or `GET /_stats`.

export interface TokenTotals {
  prompt: number;
  cached: number;
  completion: number;
  reasoning: number;
}

/** Count per outcome (`'200'`, `'400'`, `'429'`, ...) plus `total`. */
export type OutcomeCounts = Record<string, number>;

export interface ServerStats {
  requests: {
    total: number;
    /** Keyed by route, e.g. `POST /v1/chat/completions`, `GET /v1/batches/{id}`. */
    byEndpoint: Record<string, OutcomeCounts>;
    /** Chat/embeddings requests keyed by the `model` sent. */
    byModel: Record<string, OutcomeCounts>;
    byStatus: Record<string, number>;
  };
  /** Tokens of successful chat completions, synchronous and batched. */
  tokens: TokenTotals;
  concurrency: { current: number; peak: number };
  /** Injected faults, by kind. */
  faults: { rateLimit: number; serverError: number; insufficientQuota: number; truncation: number; malformedArguments: number; refusedParallel: number; violatedMaxLength: number };
  /** 429s from the real rpm/tpm limiter; `counted`: tokens admitted requests counted against the TPM limit (prompt + reserved completion). */
  rateLimited: { requests: number; tokens: number; counted: number };
  files: { uploaded: number; bytes: number; deleted: number };
  batches: {
    created: number;
    completed: number;
    failed: number;
    cancelled: number;
    expired: number;
    /** Batch lines run, and how they ended. */
    requests: { total: number; succeeded: number; failed: number };
    tokens: TokenTotals;
  };
}

const zeroTokens = (): TokenTotals => ({ prompt: 0, cached: 0, completion: 0, reasoning: 0 });

export function emptyStats(): ServerStats {
  return {
    requests: { total: 0, byEndpoint: {}, byModel: {}, byStatus: {} },
    tokens: zeroTokens(),
    concurrency: { current: 0, peak: 0 },
    faults: { rateLimit: 0, serverError: 0, insufficientQuota: 0, truncation: 0, malformedArguments: 0, refusedParallel: 0, violatedMaxLength: 0 },
    rateLimited: { requests: 0, tokens: 0, counted: 0 },
    files: { uploaded: 0, bytes: 0, deleted: 0 },
    batches: { created: 0, completed: 0, failed: 0, cancelled: 0, expired: 0, requests: { total: 0, succeeded: 0, failed: 0 }, tokens: zeroTokens() },
  };
}

function bump(map: Record<string, OutcomeCounts>, key: string, status: number): void {
  const entry = (map[key] ??= { total: 0 });
  entry.total++;
  entry[String(status)] = (entry[String(status)] ?? 0) + 1;
}

export class StatsCollector {
  data = emptyStats();

  recordRequest(endpoint: string, status: number, model?: string): void {
    const r = this.data.requests;
    r.total++;
    r.byStatus[String(status)] = (r.byStatus[String(status)] ?? 0) + 1;
    bump(r.byEndpoint, endpoint, status);
    if (model !== undefined) bump(r.byModel, model, status);
  }

  addTokens(target: TokenTotals, usage: { prompt_tokens: number; completion_tokens: number; prompt_tokens_details: { cached_tokens: number }; completion_tokens_details: { reasoning_tokens: number } }): void {
    target.prompt += usage.prompt_tokens;
    target.cached += usage.prompt_tokens_details.cached_tokens;
    target.completion += usage.completion_tokens;
    target.reasoning += usage.completion_tokens_details.reasoning_tokens;
  }

  enter(): void {
    const c = this.data.concurrency;
    c.current++;
    c.peak = Math.max(c.peak, c.current);
  }

  leave(): void {
    this.data.concurrency.current--;
  }

  snapshot(): ServerStats {
    return JSON.parse(JSON.stringify(this.data));
  }

  /** Zeroes every counter; requests in flight stay counted as current. */
  reset(): void {
    const current = this.data.concurrency.current;
    this.data = emptyStats();
    this.data.concurrency = { current, peak: current };
  }
}
