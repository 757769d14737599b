// Batch API files: the input JSONL (one request per line, custom_id = request cache key), split at the
// API's limits, and the output / error JSONL read back into results keyed by custom_id (lines come out
// of order).
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';

export const BATCH_ENDPOINT = '/v1/chat/completions';
export const MAX_BATCH_LINES = 50_000;
/** The API allows 200 MB per input file; stay a little below. */
export const MAX_BATCH_BYTES = 190 * 1024 * 1024;

export interface BatchRequest {
  key: string;
  body: ChatCompletionCreateParamsNonStreaming;
  /** How many times this request was sent before (its line failed): 0 the first time. */
  resend?: number;
}

/**
 * The custom_id of a request's line: its cache key, with `~N` when it is sent again for the Nth time,
 * so that the line of a re-sent request differs from the one that failed (an input file is not the
 * same file twice). Results are joined back with `requestKey`.
 */
export function lineId(key: string, resend = 0): string {
  return resend ? `${key}~${resend}` : key;
}

export function requestKey(customId: string): string {
  return customId.replace(/~\d+$/, '');
}

/** JSONL inputs, each within the line and size limits (requests keep their order). */
/**
 * The JSONL input files for `requests`: one group per model (the Batch API takes one model per input
 * file: "Each batch input file can only include requests to a single model"), each split at the
 * API's line and byte limits. Models keep the order of their first request.
 */
export function batchInputs(requests: BatchRequest[], maxLines = MAX_BATCH_LINES, maxBytes = MAX_BATCH_BYTES): { keys: string[]; jsonl: string }[] {
  const byModel = new Map<string, BatchRequest[]>();
  for (const r of requests) {
    const model = String(r.body.model);
    const list = byModel.get(model);
    if (list) list.push(r);
    else byModel.set(model, [r]);
  }
  const out: { keys: string[]; jsonl: string }[] = [];
  for (const group of byModel.values()) {
    let keys: string[] = [];
    let lines: string[] = [];
    let bytes = 0;
    const flush = () => {
      if (lines.length) out.push({ keys, jsonl: `${lines.join('\n')}\n` });
      keys = [];
      lines = [];
      bytes = 0;
    };
    for (const r of group) {
      const line = JSON.stringify({ custom_id: lineId(r.key, r.resend), method: 'POST', url: BATCH_ENDPOINT, body: r.body });
      const size = Buffer.byteLength(line) + 1;
      if (lines.length && (lines.length >= maxLines || bytes + size > maxBytes)) flush();
      keys.push(r.key);
      lines.push(line);
      bytes += size;
    }
    flush();
  }
  return out;
}

export type LineResult =
  | { ok: true; completion: ChatCompletion }
  | { ok: false; status?: number; code?: string; message: string };

/** Output and error file lines by custom_id. Unreadable lines are skipped (their requests count as missing). */
export function readBatchLines(text: string, into = new Map<string, LineResult>()): Map<string, LineResult> {
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let row: {
      custom_id?: string;
      response?: { status_code?: number; body?: unknown } | null;
      error?: { code?: string; message?: string } | null;
    };
    try {
      row = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof row.custom_id !== 'string') continue;
    row.custom_id = requestKey(row.custom_id);
    const status = row.response?.status_code;
    if (status === 200 && row.response?.body && typeof row.response.body === 'object') {
      into.set(row.custom_id, { ok: true, completion: row.response.body as ChatCompletion });
      continue;
    }
    const apiError = (row.response?.body as { error?: { message?: string; code?: string } } | undefined)?.error;
    into.set(row.custom_id, {
      ok: false,
      status,
      code: apiError?.code ?? row.error?.code ?? undefined,
      message: apiError?.message ?? row.error?.message ?? `status ${status ?? 'unknown'}`,
    });
  }
  return into;
}

/** A failed line worth running again synchronously (rate limits, server errors, expiry, cancellation). */
export function retryableLine(r: Extract<LineResult, { ok: false }>): boolean {
  if (r.status === undefined) return true;
  return r.status === 408 || r.status === 409 || r.status === 429 || r.status >= 500;
}
