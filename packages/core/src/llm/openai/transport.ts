// The ONE place with retries (the SDK client is built with maxRetries: 0). Every HTTP call to the model
// endpoint goes through `Transport.call`. Chat requests wait for the endpoint's adaptive limiter
// (rate-controller.ts: a window of requests in flight and a pace set from the x-ratelimit-* headers
// of every reply, shared across processes through slot files), report each outcome back to it, and are
// retried on 408/409/429/5xx, connection errors and timeouts up to generator.maxRetries. A 429
// rate_limit_exceeded while other requests are served is the endpoint pacing us, not a failure: it
// does not use up maxRetries (within MAX_RATE_LIMIT_WAIT_MS of waiting per request), and only the refused request waits, as long as the
// server asked (`retry-after-ms` / `retry-after`, capped) or a capped, jittered exponential backoff
// when it did not say. Everything else becomes a clear ForgeError (quota, key, bad request, unreachable
// endpoint).
import type OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { EndpointLimiter } from '../limiter';
import { readRateHeaders } from '../rate-controller';
import { assertChatCompletion, classify, exhausted } from './errors';
import { sleep } from '../../util/sleep';

export { sleep };

/** Longest wait a server can ask for before one retry. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * A 429 rate_limit_exceeded while the endpoint serves other requests is the endpoint pacing us, not a
 * failure: such waits do not use up generator.maxRetries, up to this much waiting per request. A 429
 * storm (nothing served for PACING_WINDOW_MS) still counts.
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


/** Tokens a request reserves against a TPM limit, as OpenAI counts them: the prompt (about 4 characters a token) plus max_completion_tokens. */
export function reservedTokens(body: ChatCompletionCreateParamsNonStreaming): number {
  const prompt = Math.ceil(JSON.stringify(body.messages ?? '').length / 4);
  const max = body.max_completion_tokens ?? body.max_tokens ?? 0;
  return prompt + (typeof max === 'number' ? max : 0);
}

interface Limited<T> {
  /** Tokens the request reserves (prompt + max completion). */
  tokens: number;
  /** The reply's headers, for the x-ratelimit-* figures. */
  headers(result: T): { get(name: string): string | null } | undefined;
}

export class Transport {
  /** Attempts made (including retries), for diagnostics. */
  attempts = 0;
  /** When a request last succeeded (the endpoint is serving). */
  private lastSuccess = 0;

  constructor(private readonly opts: TransportOptions) {}

  get client(): OpenAI {
    return this.opts.client;
  }

  async chat(body: ChatCompletionCreateParamsNonStreaming): Promise<ChatCompletion> {
    const { data } = await this.call(
      async (signal) => {
        const { data, response } = await this.opts.client.chat.completions.create(body, { signal }).withResponse();
        // A 200 that is no chat completion stops the build with its cause (errors.ts).
        return { data: assertChatCompletion(data, this.opts.baseURL), headers: response.headers };
      },
      { tokens: reservedTokens(body), headers: (r) => r.headers },
    );
    return data;
  }

  /**
   * Runs `request` with retries. `limited` requests hold a place of the endpoint's limiter per attempt
   * (released during the backoff so that others can use it) and report their outcome to it; batch
   * management calls (upload, poll) are not limited.
   */
  async call<T>(request: (signal?: AbortSignal) => Promise<T>, limited?: Limited<T>): Promise<T> {
    const { maxRetries, signal, baseURL, apiKey, missingKey } = this.opts;
    if (missingKey) throw missingKey;
    let last: { status?: number; message: string } = { message: 'no attempt made' };
    let lastErr: unknown;
    let retry = 0;
    let paced = 0;
    let pacedTries = 0;
    let tries = 0;
    for (;;) {
      tries++;
      signal?.throwIfAborted();
      const permit = limited ? await this.opts.limiter.acquire(signal, limited.tokens) : undefined;
      const started = Date.now();
      try {
        this.attempts++;
        const result = await request(signal);
        this.lastSuccess = Date.now();
        permit?.success(readRateHeaders(limited!.headers(result)), this.lastSuccess - started);
        return result;
      } catch (err) {
        const failure = classify(err, { baseURL, apiKey });
        if (failure.kind === 'abort') throw failure.error;
        if (failure.kind === 'fatal') {
          permit?.failed();
          throw failure.error;
        }
        const rateLimited = failure.status === 429;
        if (rateLimited) permit?.rateLimited(readRateHeaders((err as { headers?: Headers }).headers));
        else permit?.failed();
        last = failure;
        lastErr = err;
        const hinted = failure.retryAfterMs !== undefined;
        const delay = hinted ? Math.min(failure.retryAfterMs!, MAX_RETRY_AFTER_MS) * (1 + Math.random() * 0.1) : backoffMs(rateLimited ? pacedTries : retry);
        const served = this.lastSuccess > 0 && Date.now() - this.lastSuccess < PACING_WINDOW_MS;
        const pacing = rateLimited && served && paced + delay <= MAX_RATE_LIMIT_WAIT_MS;
        if (pacing) {
          paced += delay;
          pacedTries++;
        } else if (retry++ >= maxRetries) break;
        permit?.release();
        await sleep(delay, signal);
        continue;
      } finally {
        permit?.release();
      }
    }
    throw exhausted(last, tries, baseURL, lastErr);
  }
}
