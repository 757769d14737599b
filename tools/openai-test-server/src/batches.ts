// Batch API: batches move validating -> in_progress -> finalizing -> completed one step at a time
// (a timer every `stepMs`, or `step()` by hand), running a share of their lines per step through the
// same endpoint logic as synchronous calls. Output lines come out of input order, as the API's do.
import { validateBatchInput, type BatchLine, type BatchLineError } from './batch-input';
import { ApiError, invalidRequest, missingParameter, noSuchObject } from './errors';
import type { FileStore } from './files';
import { newId } from './ids';
import { resolveModel } from './models';
import { hash32, Rng, sha256Hex } from './rng';
import type { StatsCollector } from './stats';

export type BatchStatus = 'validating' | 'failed' | 'in_progress' | 'finalizing' | 'completed' | 'expired' | 'cancelling' | 'cancelled';

export interface BatchObject {
  id: string;
  object: 'batch';
  endpoint: string;
  errors: { object: 'list'; data: BatchLineError[] } | null;
  input_file_id: string;
  completion_window: '24h';
  status: BatchStatus;
  output_file_id: string | null;
  error_file_id: string | null;
  created_at: number;
  in_progress_at: number | null;
  expires_at: number;
  finalizing_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  expired_at: number | null;
  cancelling_at: number | null;
  cancelled_at: number | null;
  request_counts: { total: number; completed: number; failed: number };
  metadata: Record<string, string> | null;
  model: string | null;
  usage: { input_tokens: number; input_tokens_details: { cached_tokens: number }; output_tokens: number; output_tokens_details: { reasoning_tokens: number }; total_tokens: number };
}

/** Runs one line's body against the endpoint; `key` makes its fault draw independent of order. */
export type LineRunner = (endpoint: string, body: Record<string, unknown>, key: string) => { status: number; body: unknown; requestId: string };

export interface BatchOptions {
  /** Ms between steps; 0 = only `step()` advances batches. */
  stepMs: number;
  /** Lines run per step; default a third of the batch (at least 1, at most 500). */
  linesPerStep?: number;
  /** A batch not finished this long after creation expires (the API's window is 24 h). */
  completionWindowMs: number;
}

export const BATCH_ENDPOINTS = ['/v1/responses', '/v1/chat/completions', '/v1/embeddings', '/v1/completions', '/v1/moderations', '/v1/images/generations', '/v1/images/edits', '/v1/videos'];
export const SERVED_BATCH_ENDPOINTS = ['/v1/chat/completions', '/v1/embeddings'];

interface Job {
  batch: BatchObject;
  createdMs: number;
  inputHash: string;
  lines: BatchLine[];
  next: number;
  output: string[];
  errors: string[];
}

const MAX_LINES_PER_STEP = 500;
const TERMINAL: BatchStatus[] = ['failed', 'completed', 'expired', 'cancelled'];

export class BatchManager {
  private readonly batches = new Map<string, BatchObject>();
  private readonly active = new Map<string, Job>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly files: FileStore,
    private readonly run: LineRunner,
    private readonly stats: StatsCollector,
    private readonly nowMs: () => number,
    public options: BatchOptions,
  ) {}

  create(params: Record<string, unknown>): BatchObject {
    const { input_file_id: fileId, endpoint, completion_window: window } = params;
    if (typeof fileId !== 'string') throw missingParameter('input_file_id');
    if (typeof endpoint !== 'string') throw missingParameter('endpoint');
    if (!BATCH_ENDPOINTS.includes(endpoint)) {
      throw invalidRequest(`Invalid value: '${endpoint}'. Supported values are: ${BATCH_ENDPOINTS.map((e) => `'${e}'`).join(', ')}.`, 'endpoint', 'invalid_value');
    }
    if (!SERVED_BATCH_ENDPOINTS.includes(endpoint)) {
      throw invalidRequest(`This test server runs batches for ${SERVED_BATCH_ENDPOINTS.join(' and ')} only, not ${endpoint}.`, 'endpoint', 'invalid_value');
    }
    if (window !== '24h') throw invalidRequest(`Invalid value: '${String(window)}'. Supported values are: '24h'.`, 'completion_window', 'invalid_value');
    const file = this.files.get(fileId);
    if (!file) throw new ApiError(404, `No such File object: ${fileId}`, 'invalid_request_error', 'input_file_id');
    if (file.meta.purpose !== 'batch') {
      throw invalidRequest(`The input file must be uploaded with purpose 'batch', but ${fileId} has purpose '${file.meta.purpose}'.`, 'input_file_id');
    }
    const now = this.nowMs();
    const created = Math.floor(now / 1000);
    const batch: BatchObject = {
      id: newId('batch_', 32),
      object: 'batch',
      endpoint,
      errors: null,
      input_file_id: fileId,
      completion_window: '24h',
      status: 'validating',
      output_file_id: null,
      error_file_id: null,
      created_at: created,
      in_progress_at: null,
      expires_at: created + 24 * 3600,
      finalizing_at: null,
      completed_at: null,
      failed_at: null,
      expired_at: null,
      cancelling_at: null,
      cancelled_at: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
      metadata: (params.metadata as Record<string, string> | undefined) ?? null,
      model: null,
      usage: { input_tokens: 0, input_tokens_details: { cached_tokens: 0 }, output_tokens: 0, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 0 },
    };
    this.batches.set(batch.id, batch);
    this.active.set(batch.id, { batch, createdMs: now, inputHash: sha256Hex(file.data.toString('utf8')), lines: [], next: 0, output: [], errors: [] });
    this.stats.data.batches.created++;
    this.schedule();
    return batch;
  }

  get(id: string): BatchObject {
    const b = this.batches.get(id);
    if (!b) throw noSuchObject('Batch', id);
    return b;
  }

  /** Newest first; `after` continues from the last id of the previous page. */
  list(after: string | undefined, limit: number): { data: BatchObject[]; hasMore: boolean } {
    const all = [...this.batches.values()].reverse();
    const start = after ? all.findIndex((b) => b.id === after) + 1 : 0;
    return { data: all.slice(start, start + limit), hasMore: start + limit < all.length };
  }

  cancel(id: string): BatchObject {
    const b = this.get(id);
    if (b.status === 'cancelling' || b.status === 'cancelled') return b;
    if (TERMINAL.includes(b.status)) throw invalidRequest(`Cannot cancel a batch with status '${b.status}'.`);
    b.status = 'cancelling';
    b.cancelling_at = this.seconds();
    return b;
  }

  /** Advances every unfinished batch by one step. */
  step(): void {
    for (const job of [...this.active.values()]) this.advance(job);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer || this.options.stepMs <= 0 || this.active.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.step();
      this.schedule();
    }, this.options.stepMs);
  }

  private seconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  private advance(job: Job): void {
    const b = job.batch;
    if (b.status === 'cancelling') return this.finish(job, 'cancelled');
    if (b.status === 'finalizing') return this.finish(job, 'completed');
    if (this.nowMs() - job.createdMs >= this.options.completionWindowMs) return this.expire(job);
    if (b.status === 'validating') return this.validate(job);
    // Bounded per step so a 50,000-line batch never blocks the event loop for long.
    const perStep = this.options.linesPerStep ?? Math.min(MAX_LINES_PER_STEP, Math.max(1, Math.ceil(job.lines.length / 3)));
    for (let k = 0; k < perStep && job.next < job.lines.length; k++) this.runLine(job, job.lines[job.next++]);
    if (job.next >= job.lines.length) {
      b.status = 'finalizing';
      b.finalizing_at = this.seconds();
    }
  }

  private validate(job: Job): void {
    const b = job.batch;
    const file = this.files.get(b.input_file_id);
    const checked = file
      ? validateBatchInput(file.data.toString('utf8'), b.endpoint)
      : { lines: [], errors: [{ code: 'file_not_found', message: `The input file ${b.input_file_id} was deleted before the batch started.`, param: null, line: null }] };
    if (checked.errors.length) {
      b.errors = { object: 'list', data: checked.errors };
      b.status = 'failed';
      b.failed_at = this.seconds();
      this.stats.data.batches.failed++;
      this.active.delete(b.id);
      return;
    }
    const info = checked.model ? resolveModel(checked.model) : undefined;
    b.model = info && checked.model === info.id ? info.dated : (checked.model ?? null);
    job.lines = checked.lines;
    b.request_counts.total = checked.lines.length;
    b.status = 'in_progress';
    b.in_progress_at = this.seconds();
  }

  private runLine(job: Job, line: BatchLine): void {
    const b = job.batch;
    const result = this.run(b.endpoint, line.body, `batch:${job.inputHash}:${line.customId}`);
    const row = { id: newId('batch_req_', 32), custom_id: line.customId, response: { status_code: result.status, request_id: result.requestId, body: result.body }, error: null };
    const s = this.stats.data.batches;
    s.requests.total++;
    if (result.status === 200) {
      job.output.push(JSON.stringify(row));
      b.request_counts.completed++;
      s.requests.succeeded++;
      this.addUsage(b, result.body as { usage?: Record<string, unknown> });
    } else {
      job.errors.push(JSON.stringify(row));
      b.request_counts.failed++;
      s.requests.failed++;
    }
  }

  private addUsage(b: BatchObject, body: { usage?: Record<string, unknown> }): void {
    const u = body.usage as { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number }; completion_tokens_details?: { reasoning_tokens?: number } } | undefined;
    if (!u) return;
    const input = u.prompt_tokens ?? 0;
    const output = u.completion_tokens ?? 0;
    b.usage.input_tokens += input;
    b.usage.input_tokens_details.cached_tokens += u.prompt_tokens_details?.cached_tokens ?? 0;
    b.usage.output_tokens += output;
    b.usage.output_tokens_details.reasoning_tokens += u.completion_tokens_details?.reasoning_tokens ?? 0;
    b.usage.total_tokens += input + output;
    const t = this.stats.data.batches.tokens;
    t.prompt += input;
    t.cached += u.prompt_tokens_details?.cached_tokens ?? 0;
    t.completion += output;
    t.reasoning += u.completion_tokens_details?.reasoning_tokens ?? 0;
  }

  private expire(job: Job): void {
    for (const line of job.lines.slice(job.next)) {
      job.errors.push(JSON.stringify({
        id: newId('batch_req_', 32),
        custom_id: line.customId,
        response: null,
        error: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' },
      }));
      job.batch.request_counts.failed++;
    }
    job.next = job.lines.length;
    this.finish(job, 'expired');
  }

  /** Writes the output and error files (lines shuffled deterministically) and ends the batch. */
  private finish(job: Job, status: 'completed' | 'cancelled' | 'expired'): void {
    const b = job.batch;
    const rng = new Rng(hash32('batch-order', job.inputHash));
    const write = (rows: string[], kind: string) => {
      if (rows.length === 0) return null;
      let shuffled = rng.shuffle(rows);
      if (rows.length > 1 && shuffled.every((r, i) => r === rows[i])) shuffled = [...rows.slice(1), rows[0]];
      return this.files.add(`${b.id}_${kind}.jsonl`, 'batch_output', Buffer.from(`${shuffled.join('\n')}\n`)).id;
    };
    b.output_file_id = write(job.output, 'output');
    b.error_file_id = write(job.errors, 'error');
    b.status = status;
    const at = this.seconds();
    if (status === 'completed') b.completed_at = at;
    else if (status === 'cancelled') b.cancelled_at = at;
    else b.expired_at = at;
    this.stats.data.batches[status]++;
    this.active.delete(b.id); // lines and results are released; the batch object and files stay
  }
}
