// Injected faults. Each request draws its fate from (fault seed, request key), so a run with the same
// seed and the same request order fails the same requests.
import { hash32, Rng } from './rng';

export interface Faults {
  /** Seed for fault decisions. */
  seed: number;
  /** Share (0..1) of chat/embeddings requests answered 429 `rate_limit_exceeded` (with retry headers). */
  rateLimit: number;
  /** Share answered 500 `server_error`. In batches: lines that fail with status 500. */
  serverError: number;
  /** Share answered 429 `insufficient_quota` (1 = the account is out of credit). */
  insufficientQuota: number;
  /** Share of chat replies cut short: finish_reason "length", content or tool arguments cut mid-JSON. */
  truncation: number;
  /** Share of chat replies whose NON-strict tool calls carry arguments that are not valid JSON. */
  malformedArguments: number;
  /** Share of chat replies with two or more calls that make only the first (see behaviours.ts). */
  refuseParallel: number;
  /** Share of tool calls whose string argument exceeds its schema's maxLength (see behaviours.ts). */
  violateMaxLength: number;
  /** Delay before every /v1 reply, in ms. */
  latencyMs: number;
  /** `retry-after-ms` sent with injected 429s (`retry-after` carries it rounded up to seconds). */
  retryAfterMs: number;
}

export const NO_FAULTS: Faults = {
  seed: 0,
  rateLimit: 0,
  serverError: 0,
  insufficientQuota: 0,
  truncation: 0,
  malformedArguments: 0,
  refuseParallel: 0,
  violateMaxLength: 0,
  latencyMs: 0,
  retryAfterMs: 1000,
};

const SHARES = ['rateLimit', 'serverError', 'insufficientQuota', 'truncation', 'malformedArguments', 'refuseParallel', 'violateMaxLength'] as const;
const COUNTS = ['seed', 'latencyMs', 'retryAfterMs'] as const;

/** Merges `patch` into `base`, rejecting unknown keys and out-of-range values with a clear message. */
export function mergeFaults(base: Faults, patch: Partial<Faults> | Record<string, unknown>): Faults {
  const out: Faults = { ...base };
  for (const [key, raw] of Object.entries(patch)) {
    const value = typeof raw === 'boolean' ? Number(raw) : raw;
    if ((SHARES as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new Error(`Fault '${key}' must be a share between 0 and 1, got ${JSON.stringify(raw)}.`);
    } else if ((COUNTS as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`Fault '${key}' must be a number >= 0, got ${JSON.stringify(raw)}.`);
    } else {
      throw new Error(`Unknown fault '${key}'. Known faults: ${[...SHARES, ...COUNTS].join(', ')}.`);
    }
    (out as unknown as Record<string, number>)[key] = value as number;
  }
  return out;
}

export interface FaultDecision {
  insufficientQuota: boolean;
  rateLimit: boolean;
  serverError: boolean;
  truncation: boolean;
  malformedArguments: boolean;
}

export function decideFaults(faults: Faults, requestKey: string | number): FaultDecision {
  const rng = new Rng(hash32('faults', faults.seed, requestKey));
  // Always draw every value, so changing one share does not reshuffle the others.
  return {
    insufficientQuota: rng.next() < faults.insufficientQuota,
    rateLimit: rng.next() < faults.rateLimit,
    serverError: rng.next() < faults.serverError,
    truncation: rng.next() < faults.truncation,
    malformedArguments: rng.next() < faults.malformedArguments,
  };
}
