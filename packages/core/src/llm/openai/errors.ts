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

const NOT_AN_API_HINT = 'Check generator.baseURL / OPENAI_BASE_URL: it must point at an OpenAI-compatible API (usually ending in /v1); a proxy or gateway in between may be answering instead.';

/**
 * The SDK returns a non-JSON body (e.g. a text/html page from a proxy) as a string, and any JSON as it
 * is: either is no chat completion, and every row would fail the same way. The build stops and names it.
 */
export function assertChatCompletion<T>(value: T, baseURL: string): T {
  const snippet = (v: unknown) => JSON.stringify(typeof v === 'string' ? v.slice(0, 120) : (JSON.stringify(v) ?? String(v)).slice(0, 120));
  if (typeof value === 'string') {
    throw new ForgeError('LLM', `${baseURL} answered the chat request with text that is not JSON (e.g. an HTML page): ${snippet(value)}`, NOT_AN_API_HINT);
  }
  if (!value || typeof value !== 'object' || !Array.isArray((value as { choices?: unknown }).choices)) {
    throw new ForgeError('LLM', `${baseURL} answered the chat request with JSON that is not a chat completion (no "choices" list): ${snippet(value)}`, NOT_AN_API_HINT);
  }
  return value;
}

const QUOTA_CODES = ['insufficient_quota', 'credit_balance_exhausted', 'billing_hard_limit_reached'];

export function classify(err: unknown, ctx: { baseURL: string; apiKey?: string }): Failure {
  if (err instanceof ForgeError) return { kind: 'fatal', error: err };
  if (err instanceof APIUserAbortError || (err instanceof Error && err.name === 'AbortError')) return { kind: 'abort', error: err as Error };
  if (err instanceof APIConnectionError) return { kind: 'retry', message: redactKeys(err.message, ctx.apiKey) };
  // A body labelled JSON that does not parse: the endpoint answered, it is not reachability (by name: another realm's SyntaxError).
  if (err instanceof Error && err.name === 'SyntaxError') {
    return {
      kind: 'fatal',
      error: new ForgeError('LLM', `${ctx.baseURL} answered with a body that is not valid JSON (${redactKeys(err.message, ctx.apiKey).slice(0, 200)}).`, NOT_AN_API_HINT, { cause: err }),
    };
  }
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
