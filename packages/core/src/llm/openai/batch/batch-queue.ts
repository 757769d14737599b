// Batch mode: requests are collected instead of sent. When every running sample script is waiting
// (no request is still looking in the cache, and no new request arrived for `collectMs`), the pending
// requests become one ROUND: one Batch API job per model (the API takes one model per input file;
// split further only at its line and size limits), uploaded, created, persisted, polled, downloaded
// and joined on custom_id (= request cache key). Results go into the request cache.
//
// Rounds: a stage's requests that can go together go together, so a stage takes as many rounds as
// its deepest conversation has steps; the number of Batch API jobs is rounds x the models a round
// uses (generator.model, and augmentation.model for paraphrases and simulated results).
//
// Resume: a request whose key belongs to a persisted unfinished batch waits for that batch (polled
// again) instead of being resubmitted, so a killed build never creates a second batch for it.
// Failed lines: retryable ones (rate limit, server error, expired, cancelled, missing) go into the
// NEXT round with the requests the finished round's samples make next (never a round of their own
// while other requests are due, never one by one), up to MAX_LINE_ROUNDS times; others fail their
// samples with the API's message. Repairs (a call that fails validation, asked again) are ordinary
// requests and join the next round the same way.
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { ForgeError } from '../../../errors';
import type { RequestCache } from '../../request-cache';
import { BatchApi, batchFailure } from './batch-api';
import { batchInputs, retryableLine, type BatchRequest } from './batch-jsonl';
import type { BatchState, PersistedBatch } from './batch-state';
import type { BatchRoom } from './batch-room';

/** Rounds a failed line is sent in before its samples fail. */
export const MAX_LINE_ROUNDS = 6;

/** What batch mode did in one stage: rounds and the jobs, requests and re-sent lines of each. */
export interface BatchRounds {
  rounds: { batches: number; requests: number; models: string[]; resent: number; shared?: { builds: number; batches: number } }[];
}

interface Waiter {
  body: ChatCompletionCreateParamsNonStreaming;
  resolve(completion: ChatCompletion): void;
  reject(err: unknown): void;
}

export interface BatchQueueOptions {
  api: BatchApi;
  cache: RequestCache;
  state: BatchState;
  collectMs: number;
  log: (msg: string) => void;
  signal: AbortSignal;
  /** The endpoint's room (batch-room.ts): rounds shared with the other builds using the endpoint. */
  room?: BatchRoom;
}

export class BatchQueue {
  private readonly pending = new Map<string, BatchRequest>();
  private readonly waiters = new Map<string, Waiter[]>();
  /** Running jobs by input file id (one poller per batch, however many requests wait on it). */
  private readonly jobs = new Map<string, Promise<void>>();
  private holds = 0;
  /** Batches of the last round still being uploaded, run or read. */
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Rounds a key has been sent in (only keys whose line failed are kept). */
  private readonly sentRounds = new Map<string, number>();
  /** Keys going into the next round again after their line failed. */
  private readonly resent = new Set<string>();
  readonly report: BatchRounds = { rounds: [] };
  /** A round handed to the room and not yet cut: the member says `ready`, nothing else. */
  private inRoom = false;

  constructor(private readonly opts: BatchQueueOptions) {
    opts.signal.addEventListener('abort', () => this.abortAll(), { once: true });
    // Jobs a killed run was given in a shared round and never recorded: recorded now, followed when asked for.
    for (const entry of opts.room?.leftover() ?? []) if (!opts.state.all().some((b) => b.inputFileId === entry.inputFileId)) opts.state.add(entry);
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

  submit(key: string, body: ChatCompletionCreateParamsNonStreaming, hold?: () => void): Promise<ChatCompletion> {
    const promise = new Promise<ChatCompletion>((resolve, reject) => {
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

  /**
   * A round is cut when requests are pending, none is still looking in the cache, nothing new came
   * for `collectMs`, and no batch of the previous round is still running: the samples waiting on it
   * will ask their next requests when it ends, and those belong in the same round as these.
   */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.inRoom) this.opts.room?.setState(this.waiters.size ? 'busy' : 'idle');
    if (!this.pending.size || !this.idle() || this.opts.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.idle()) this.flush();
    }, this.opts.collectMs);
  }

  private idle(): boolean {
    return this.holds === 0 && this.running === 0 && this.jobs.size === 0;
  }

  private flush(): void {
    const requests = [...this.pending.values()];
    this.pending.clear();
    const resent = requests.filter((r) => this.resent.has(r.key)).length;
    this.resent.clear();
    const models = [...new Set(requests.map((r) => String(r.body.model)))];
    if (this.opts.room) return this.flushShared(requests, { batches: 0, requests: requests.length, models, resent });
    const inputs = batchInputs(requests);
    this.report.rounds.push({ batches: inputs.length, requests: requests.length, models, resent });
    for (const input of inputs) {
      this.running++;
      const run = this.start(input.keys, input.jsonl)
        .catch((err) => this.fail(input.keys, err))
        .finally(() => {
          this.running--;
          this.schedule();
        });
      void run;
    }
  }

  /** The round through the endpoint's room: cut with the other builds' requests, then its jobs followed. */
  private flushShared(requests: BatchRequest[], round: BatchRounds['rounds'][number]): void {
    const room = this.opts.room!;
    this.report.rounds.push(round);
    this.running++;
    this.inRoom = true;
    room
      .round(requests)
      .then((cut) => {
        round.batches = cut.entries.length;
        if (cut.members > 1) round.shared = { builds: cut.members, batches: cut.batches };
        for (const entry of cut.entries) {
          this.opts.state.add(entry);
          void this.follow(entry);
        }
        // An earlier run's assignment adopted instead of this round: what it does not hold goes again.
        const held = new Set(cut.entries.flatMap((e) => e.customIds));
        for (const r of requests) if (!held.has(r.key)) this.pending.set(r.key, r);
      })
      .catch((err) => this.fail(requests.map((r) => r.key), err))
      .finally(() => {
        this.inRoom = false;
        this.running--;
        this.schedule();
      });
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
      void job.finally(() => {
        this.jobs.delete(entry.inputFileId);
        this.schedule();
      });
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
    for (const [key, r] of results) {
      if (!r.ok) continue;
      await cache.put(key, r.completion, { model: r.completion.model, batch: batch.id });
      this.sentRounds.delete(key);
    }
    state.remove(entry.inputFileId);
    for (const key of entry.customIds) {
      const waiting = this.waiters.get(key);
      if (!waiting) continue;
      this.waiters.delete(key);
      const r = results.get(key);
      if (r?.ok) waiting.forEach((w) => w.resolve(r.completion));
      else if (batch.status === 'failed') waiting.forEach((w) => w.reject(batchFailure(batch)));
      else if (!r || retryableLine(r)) this.sendAgain(key, waiting, batch.id, r);
      else waiting.forEach((w) => w.reject(new ForgeError('LLM', `Batch ${batch.id} line failed (${r.status ?? r.code ?? 'error'}): ${r.message}`)));
    }
    this.schedule();
  }

  /** A retryable failed line: into the next round with the others' next requests, a few times at most. */
  private sendAgain(key: string, waiting: Waiter[], batchId: string, r: { status?: number; code?: string; message: string } | undefined): void {
    const sent = (this.sentRounds.get(key) ?? 0) + 1;
    if (sent >= MAX_LINE_ROUNDS) {
      this.sentRounds.delete(key);
      const why = r ? `${r.status ?? r.code ?? 'error'}: ${r.message}` : 'no result line';
      waiting.forEach((w) => w.reject(new ForgeError('LLM', `Batch ${batchId} line failed in ${sent} rounds (${why})`, 'Run the same command again; requests that completed are cached.')));
      return;
    }
    this.sentRounds.set(key, sent);
    this.waiters.set(key, waiting);
    this.resent.add(key);
    this.pending.set(key, { key, body: waiting[0].body, resend: sent });
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
    this.opts.room?.close();
    this.pending.clear();
    const reason = this.opts.signal.reason ?? new Error('aborted');
    this.fail([...this.waiters.keys()], reason);
  }
}
