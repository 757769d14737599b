// Batch mode: requests are collected instead of sent. When every running sample script is waiting
// (no request is still looking in the cache, and no new request arrived for `collectMs`), the pending
// requests become ONE Batch API job (split only at the API's limits): uploaded, created, persisted,
// polled, downloaded and joined on custom_id (= request cache key). Results go into the request cache.
//
// Resume: a request whose key belongs to a persisted unfinished batch waits for that batch (polled
// again) instead of being resubmitted, so a killed build never creates a second batch for it.
// Failed lines: retryable ones (rate limit, server error, expired, cancelled, missing) are run once
// synchronously through the transport (which retries them itself); others fail their samples with
// the API's message. A synchronous retry is chosen over a second batch because there are few of them
// and a second 24 h window would hold the whole stage back.
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { ForgeError } from '../../../errors';
import type { RequestCache } from '../../request-cache';
import type { Transport } from '../transport';
import { BatchApi, batchFailure } from './batch-api';
import { batchInputs, retryableLine, type BatchRequest } from './batch-jsonl';
import type { BatchState, PersistedBatch } from './batch-state';

export interface BatchOutcome {
  completion: ChatCompletion;
  /** False when the line failed in the batch and was retried synchronously (full price). */
  batched: boolean;
}

interface Waiter {
  body: ChatCompletionCreateParamsNonStreaming;
  resolve(outcome: BatchOutcome): void;
  reject(err: unknown): void;
}

export interface BatchQueueOptions {
  api: BatchApi;
  transport: Transport;
  cache: RequestCache;
  state: BatchState;
  collectMs: number;
  log: (msg: string) => void;
  signal: AbortSignal;
}

export class BatchQueue {
  private readonly pending = new Map<string, BatchRequest>();
  private readonly waiters = new Map<string, Waiter[]>();
  /** Running jobs by input file id (one poller per batch, however many requests wait on it). */
  private readonly jobs = new Map<string, Promise<void>>();
  private holds = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: BatchQueueOptions) {
    opts.signal.addEventListener('abort', () => this.abortAll(), { once: true });
  }

  /** Marks a request that is still deciding whether it needs the model (cache lookup): no cut meanwhile. */
  hold(): () => void {
    this.holds++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.holds--;
      this.schedule();
    };
  }

  submit(key: string, body: ChatCompletionCreateParamsNonStreaming, hold?: () => void): Promise<BatchOutcome> {
    const promise = new Promise<BatchOutcome>((resolve, reject) => {
      const list = this.waiters.get(key) ?? [];
      list.push({ body, resolve, reject });
      this.waiters.set(key, list);
    });
    if (this.opts.signal.aborted) this.abortAll();
    else {
      const persisted = this.opts.state.findByKey(key);
      if (persisted) this.follow(persisted);
      else this.pending.set(key, { key, body }); // the gateway sends each key once at a time
    }
    hold?.();
    this.schedule();
    return promise;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.size || this.holds > 0 || this.opts.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.holds === 0) this.flush();
    }, this.opts.collectMs);
  }

  private flush(): void {
    const requests = [...this.pending.values()];
    this.pending.clear();
    for (const input of batchInputs(requests)) {
      const run = this.start(input.keys, input.jsonl).catch((err) => this.fail(input.keys, err));
      void run;
    }
  }

  private async start(keys: string[], jsonl: string): Promise<void> {
    const { api, state, log } = this.opts;
    const inputFileId = await api.upload(jsonl);
    const entry: PersistedBatch = { inputFileId, customIds: keys, createdAt: Date.now() };
    state.add(entry); // persisted BEFORE the batch exists: a kill from here on is resumed
    const batch = await api.create(inputFileId);
    entry.id = batch.id;
    state.setBatchId(inputFileId, batch.id);
    log(`batch ${batch.id}: submitted ${keys.length} request${keys.length === 1 ? '' : 's'}`);
    await this.follow(entry);
  }

  /** Waits for a (possibly persisted) batch, once per batch. */
  private follow(entry: PersistedBatch): Promise<void> {
    let job = this.jobs.get(entry.inputFileId);
    if (!job) {
      job = this.complete(entry).catch((err) => this.fail(entry.customIds, err));
      this.jobs.set(entry.inputFileId, job);
      void job.finally(() => this.jobs.delete(entry.inputFileId));
    }
    return job;
  }

  private async complete(entry: PersistedBatch): Promise<void> {
    const { api, state, cache } = this.opts;
    if (!entry.id) {
      // Killed between upload and create: find the batch, or create it from the uploaded file.
      const found = await api.findByInputFile(entry.inputFileId, entry.createdAt);
      entry.id = (found ?? (await api.create(entry.inputFileId))).id;
      state.setBatchId(entry.inputFileId, entry.id);
    }
    const batch = await api.wait(entry.id);
    const results = await api.results(batch);
    for (const [key, r] of results) if (r.ok) await cache.put(key, r.completion, { model: r.completion.model, batch: batch.id });
    state.remove(entry.inputFileId);
    for (const key of entry.customIds) {
      const waiting = this.waiters.get(key);
      if (!waiting) continue;
      this.waiters.delete(key);
      const r = results.get(key);
      if (r?.ok) waiting.forEach((w) => w.resolve({ completion: r.completion, batched: true }));
      else if (batch.status === 'failed') waiting.forEach((w) => w.reject(batchFailure(batch)));
      else if (!r || retryableLine(r)) void this.retrySync(key, waiting);
      else waiting.forEach((w) => w.reject(new ForgeError('LLM', `Batch ${batch.id} line failed (${r.status ?? r.code ?? 'error'}): ${r.message}`)));
    }
  }

  private async retrySync(key: string, waiting: Waiter[]): Promise<void> {
    try {
      const completion = await this.opts.transport.chat(waiting[0].body);
      await this.opts.cache.put(key, completion, { model: completion.model });
      waiting.forEach((w) => w.resolve({ completion, batched: false }));
    } catch (err) {
      waiting.forEach((w) => w.reject(err));
    }
  }

  private fail(keys: string[], err: unknown): void {
    for (const key of keys) {
      const waiting = this.waiters.get(key);
      this.waiters.delete(key);
      waiting?.forEach((w) => w.reject(err));
    }
  }

  /** close(): pending requests and waiters are rejected; persisted batches stay for the next run. */
  private abortAll(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    const reason = this.opts.signal.reason ?? new Error('aborted');
    this.fail([...this.waiters.keys()], reason);
  }
}
