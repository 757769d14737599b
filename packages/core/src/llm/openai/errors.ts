// What a failed request means for us: retry it, stop the build (quota, bad key, bad request), or
// give up after the retries with a message that says how to resume. Every SDK error passes through
// `classify`, so the rules live in one place.
import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { ForgeError } from '../../errors';

export type Failure =
  | { kind: 'retry'; status?: number; retryAfterMs?: number; message: string }
  | { kind: 'fatal'; error: ForgeError }
  | { kind: 'abort'; error: Error };

/** Removes anything that looks like an API key (OpenAI echoes a masked key in 401 messages). */
export function redactKeys(text: string, apiKey?: string): string {
  let out = text.replace(/\b(sk|rk|sess)-[A-Za-z0-9_*\-.]{6,}/g, '[redacted key]');
  if (apiKey && apiKey.length >= 6) out = out.split(apiKey).join('[redacted key]');
  return out;
}

function header(headers: Headers | undefined, name: string): string | null {
  return headers && typeof headers.get === 'function' ? headers.get(name) : null;
}

/** `retry-after-ms` (ms), else `retry-after` (seconds or an HTTP date); undefined when absent or unusable. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = parseFloat(header(headers, 'retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = header(headers, 'retry-after');
  if (raw === null) return undefined;
  const seconds = parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

const QUOTA_CODES = ['insufficient_quota', 'credit_balance_exhausted', 'billing_hard_limit_reached'];

export function classify(err: unknown, ctx: { baseURL: string; apiKey?: string }): Failure {
  if (err instanceof ForgeError) return { kind: 'fatal', error: err };
  if (err instanceof APIUserAbortError || (err instanceof Error && err.name === 'AbortError')) return { kind: 'abort', error: err as Error };
  if (err instanceof APIConnectionError) return { kind: 'retry', message: redactKeys(err.message, ctx.apiKey) };
  if (!(err instanceof APIError)) {
    // fetch-level failures that the SDK did not wrap (should not happen, but never lose them)
    return { kind: 'retry', message: err instanceof Error ? err.message : String(err) };
  }
  const status = err.status ?? 0;
  const inner = (err.error ?? {}) as { message?: string; code?: string; type?: string };
  const message = redactKeys(inner.message ?? err.message, ctx.apiKey);
  if (QUOTA_CODES.includes(String(err.code ?? inner.code)) || QUOTA_CODES.includes(String(err.type ?? inner.type))) {
    return {
      kind: 'fatal',
      error: new ForgeError(
        'QUOTA',
        `The OpenAI account behind ${ctx.baseURL} has no quota left (insufficient_quota): ${message}`,
        'Add credit or raise the usage limit at https://platform.openai.com/account/billing (or use another key), then run the same command again; completed requests are cached.',
        { cause: err },
      ),
    };
  }
  const should = header(err.headers, 'x-should-retry');
  const retryable = should === 'true' || (should !== 'false' && (status === 408 || status === 409 || status === 429 || status >= 500));
  if (retryable) return { kind: 'retry', status, retryAfterMs: retryAfterMs(err.headers), message: `${status} ${message}` };
  if (status === 401) {
    return {
      kind: 'fatal',
      error: new ForgeError('LLM', `${ctx.baseURL} rejected the API key (401): ${message}`, 'OPENAI_API_KEY is wrong or revoked: set a valid key in the environment (never in forge.yaml).', { cause: err }),
    };
  }
  const what = status === 404 ? 'not found (404; check generator.model and generator.baseURL)' : `rejected the request (${status}${err.param ? `, param ${err.param}` : ''})`;
  return { kind: 'fatal', error: new ForgeError('LLM', `${ctx.baseURL}: ${what}: ${message}`, undefined, { cause: err }) };
}

/** The error after the last retry failed. */
export function exhausted(last: { status?: number; message: string }, attempts: number, baseURL: string, cause: unknown): ForgeError {
  const resume = 'How to resume: run the same command again; completed requests are cached.';
  if (last.status === undefined) {
    return new ForgeError('LLM', `Cannot reach ${baseURL} after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${last.message}`, `Check generator.baseURL / OPENAI_BASE_URL and the network. ${resume}`, { cause });
  }
  return new ForgeError('LLM', `${baseURL} still failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${last.message}`, `Raise generator.maxRetries or lower generator.concurrency. ${resume}`, { cause });
}
