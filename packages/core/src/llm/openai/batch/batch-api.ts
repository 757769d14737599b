// The Batch API calls, each through the transport (retries, clear errors): upload an input file,
// create a batch, find a batch by its input file (resume after a kill between upload and create),
// poll until it ends with progress lines, and download its output and error files.
import { toFile } from 'openai';
import type { Batch } from 'openai/resources/batches';
import { ForgeError } from '../../../errors';
import { sleep, type Transport } from '../transport';
import { BATCH_ENDPOINT, readBatchLines, type LineResult } from './batch-jsonl';

export const TERMINAL_STATUSES = ['completed', 'failed', 'expired', 'cancelled'];

export interface BatchApiOptions {
  transport: Transport;
  dataset: string;
  stage: string;
  /** First poll interval; it grows while nothing changes, up to 12x. */
  pollMs: number;
  log: (msg: string) => void;
  signal?: AbortSignal;
}

export class BatchApi {
  constructor(private readonly opts: BatchApiOptions) {}

  private get client() {
    return this.opts.transport.client;
  }

  async upload(jsonl: string): Promise<string> {
    const { dataset, stage } = this.opts;
    const name = `${dataset}-${stage}.jsonl`.replace(/[^a-zA-Z0-9._-]/g, '_');
    const file = await this.opts.transport.call(async (signal) => this.client.files.create({ file: await toFile(Buffer.from(jsonl, 'utf8'), name), purpose: 'batch' }, { signal }));
    return file.id;
  }

  async create(inputFileId: string): Promise<Batch> {
    const { dataset, stage } = this.opts;
    return this.opts.transport.call((signal) =>
      this.client.batches.create({ input_file_id: inputFileId, endpoint: BATCH_ENDPOINT, completion_window: '24h', metadata: { dataset, stage } }, { signal }),
    );
  }

  /** The batch made from this input file, if one was created (scans batches newer than `since`). */
  async findByInputFile(inputFileId: string, since: number): Promise<Batch | undefined> {
    return this.opts.transport.call(async (signal) => {
      for await (const b of this.client.batches.list({ limit: 100 }, { signal })) {
        if (b.input_file_id === inputFileId) return b;
        if (b.created_at * 1000 < since - 3_600_000) break; // listed newest first
      }
      return undefined;
    });
  }

  /** Polls until the batch ends; prints a line whenever its status or counts change. */
  async wait(id: string): Promise<Batch> {
    const { pollMs, signal, log, dataset, stage } = this.opts;
    let interval = pollMs;
    let last = '';
    for (;;) {
      const b = await this.opts.transport.call((s) => this.client.batches.retrieve(id, { signal: s }));
      const c = b.request_counts;
      const line = `${b.status}${c ? ` ${c.completed + c.failed}/${c.total}${c.failed ? ` (${c.failed} failed)` : ''}` : ''}`;
      if (line !== last) {
        log(`batch ${id} (${dataset}/${stage}): ${line}`);
        last = line;
        interval = pollMs;
      } else {
        interval = Math.min(interval * 1.5, pollMs * 12);
      }
      if (TERMINAL_STATUSES.includes(b.status)) return b;
      await sleep(interval, signal);
    }
  }

  /** Output and error lines of a finished batch, by custom_id. */
  async results(b: Batch): Promise<Map<string, LineResult>> {
    const out = new Map<string, LineResult>();
    for (const fileId of [b.output_file_id, b.error_file_id]) {
      if (!fileId) continue;
      const text = await this.opts.transport.call(async (signal) => (await this.client.files.content(fileId, { signal })).text());
      readBatchLines(text, out);
    }
    return out;
  }
}

/** Why a whole batch failed (input validation), as one readable error. */
export function batchFailure(b: Batch): ForgeError {
  const problems = (b.errors?.data ?? []).slice(0, 5).map((e) => `${e.line !== undefined && e.line !== null ? `line ${e.line}: ` : ''}${e.message ?? e.code ?? 'error'}`);
  return new ForgeError('LLM', `Batch ${b.id} ${b.status}${problems.length ? `: ${problems.join('; ')}` : ''}`, 'Run the same command again; requests that completed are cached.');
}
