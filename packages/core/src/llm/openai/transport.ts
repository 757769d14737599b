// The ONE place with retries (the SDK client is built with maxRetries: 0). Every HTTP call to the model
// endpoint goes through `Transport.call`: it waits for a concurrency slot (in-process and across
// processes), retries 408/409/429/5xx, connection errors and timeouts up to generator.maxRetries
// (a 429 with retry-after is pacing and does not count, within MAX_RATE_LIMIT_WAIT_MS),
// honouring `retry-after-ms` / `retry-after` (capped) or a capped, jittered exponential backoff, and
// turns everything else into a clear ForgeError (quota, key, bad request, unreachable endpoint).
import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { EndpointLimiter } from '../limiter';
import { assertChatCompletion, classify, exhausted } from './errors';

/** Longest wait a server can ask for before one retry. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * A 429 that says when to come back (retry-after) while other requests are being served is the
 * endpoint pacing us, not a failure: such waits do not use up generator.maxRetries, up to this much
 * waiting per request. A 429 storm (nothing served for PACING_WINDOW_MS) still counts.
 */
export const MAX_RATE_LIMIT_WAIT_MS = 15 * 60_000;
/** How recent a served request must be for a 429 to count as pacing. */
const PACING_WINDOW_MS = 10_000;

export interface TransportOptions {
  client: OpenAI;
  /** For messages only. */
  baseURL: string;
  /** Only to redact it from error messages; never logged or stored. */
  apiKey?: string;
  limiter: EndpointLimiter;
  maxRetries: number;
  /** Aborts waits and requests when the provider closes. */
  signal?: AbortSignal;
  /** Set when there is no API key: every call fails with it (cache hits still work). */
  missingKey?: Error;
}

/** Default backoff without a server hint: 0.5 s doubling up to 8 s, minus up to 25% jitter (the SDK's curve). */
export function backoffMs(retry: number, random = Math.random): number {
  return Math.min(500 * 2 ** retry, 8000) * (1 - random() * 0.25);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class Transport {
  /** Shared pause after a 429: the other workers wait too instead of hammering the limit. */
  private pauseUntil = 0;
  /** Attempts made (including retries), for diagnostics. */
  attempts = 0;
  /** When a request last succeeded (the endpoint is serving). */
  private lastSuccess = 0;

  constructor(private readonly opts: TransportOptions) {}

  get client(): OpenAI {
    return this.opts.client;
  }

  chat(body: ChatCompletionCreateParamsNonStreaming): Promise<ChatCompletion> {
    // (issue 14) a 200 that is no chat completion stops the build with its cause (errors.ts)
    return this.call(async (signal) => assertChatCompletion(await this.opts.client.chat.completions.create(body, { signal }), this.opts.baseURL), true);
  }

  /**
   * Runs `request` with retries. `limited` requests hold a concurrency slot per attempt (released during
   * the backoff so that others can use it); batch management calls (upload, poll) are not limited.
   */
  async call<T>(request: (signal?: AbortSignal) => Promise<T>, limited = false): Promise<T> {
    const { maxRetries, signal, baseURL, apiKey, missingKey } = this.opts;
    if (missingKey) throw missingKey;
    let last: { status?: number; message: string } = { message: 'no attempt made' };
    let lastErr: unknown;
    let retry = 0;
    let paced = 0;
    let tries = 0;
    for (;;) {
      tries++;
      // After a shared pause, workers come back spread over a moment rather than all at once.
      const wait = this.pauseUntil - Date.now();
      if (wait > 0) await sleep(wait + Math.random() * 250, signal);
      signal?.throwIfAborted();
      const release = limited ? await this.opts.limiter.acquire(signal) : () => undefined;
      try {
        this.attempts++;
        const result = await request(signal);
        this.lastSuccess = Date.now();
        return result;
      } catch (err) {
        const failure = classify(err, { baseURL, apiKey });
        if (failure.kind === 'abort') throw failure.error;
        if (failure.kind === 'fatal') throw failure.error;
        last = failure;
        lastErr = err;
        const delay =
          failure.retryAfterMs !== undefined ? Math.min(failure.retryAfterMs, MAX_RETRY_AFTER_MS) * (1 + Math.random() * 0.1) : backoffMs(retry);
        // Served recently: the limit is pacing us (a 429 storm with nothing served still counts).
        const served = this.lastSuccess > 0 && Date.now() - this.lastSuccess < PACING_WINDOW_MS;
        const pacing = failure.status === 429 && failure.retryAfterMs !== undefined && served && paced + delay <= MAX_RATE_LIMIT_WAIT_MS;
        if (pacing) paced += delay;
        else if (retry++ >= maxRetries) break;
        if (failure.status === 429) this.pauseUntil = Math.max(this.pauseUntil, Date.now() + delay);
        release();
        await sleep(delay, signal);
        continue;
      } finally {
        release();
      }
    }
    throw exhausted(last, tries, baseURL, lastErr);
  }
}
