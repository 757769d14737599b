// Batch ids and their requests, persisted under `<cacheDir>/batches/<dataset>-<stage>.json` BEFORE the
// build waits for them. A re-run (after a kill, a crash, a CI timeout) finds the request keys of every
// unfinished batch here and polls that batch again instead of submitting the requests a second time.
// An entry is written as soon as the input file is uploaded (no batch id yet) and again with the batch
// id, so even a kill between upload and create is recovered (by looking the batch up by its input file).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from '../../../util/files';

export interface PersistedBatch {
  /** Undefined between upload and batches.create. */
  id?: string;
  inputFileId: string;
  /** custom_id of every line = the request cache key. */
  customIds: string[];
  createdAt: number;
}

interface StateFile {
  version: 1;
  dataset: string;
  stage: string;
  batches: PersistedBatch[];
}

export function batchStatePath(cacheDir: string, dataset: string, stage: string): string {
  const safe = (s: string) => s.replace(/[^a-zA-Z0-9._-]/g, '_');
  return join(cacheDir, 'batches', `${safe(dataset)}-${safe(stage)}.json`);
}

export class BatchState {
  private entries: PersistedBatch[];
  private byKey = new Map<string, PersistedBatch>();

  constructor(
    readonly path: string,
    private readonly dataset: string,
    private readonly stage: string,
  ) {
    this.entries = existsSync(path) ? this.read() : [];
    this.index();
  }

  private index(): void {
    this.byKey = new Map();
    for (const b of this.entries) for (const k of b.customIds) this.byKey.set(k, b);
  }

  private read(): PersistedBatch[] {
    try {
      const data = JSON.parse(readFileSync(this.path, 'utf8')) as StateFile;
      return Array.isArray(data.batches) ? data.batches.filter((b) => typeof b.inputFileId === 'string' && Array.isArray(b.customIds)) : [];
    } catch {
      // A damaged state file only costs a resubmission; the request cache still holds finished results.
      return [];
    }
  }

  all(): PersistedBatch[] {
    return [...this.entries];
  }

  /** The unfinished batch that holds a request key, if any. */
  findByKey(key: string): PersistedBatch | undefined {
    return this.byKey.get(key);
  }

  add(entry: PersistedBatch): void {
    this.entries.push(entry);
    for (const k of entry.customIds) this.byKey.set(k, entry);
    this.save();
  }

  setBatchId(inputFileId: string, id: string): void {
    const entry = this.entries.find((b) => b.inputFileId === inputFileId);
    if (entry) entry.id = id;
    this.save();
  }

  /** Forget a batch whose results are all in the request cache. */
  remove(inputFileId: string): void {
    this.entries = this.entries.filter((b) => b.inputFileId !== inputFileId);
    this.index();
    this.save();
  }

  private save(): void {
    const data: StateFile = { version: 1, dataset: this.dataset, stage: this.stage, batches: this.entries };
    writeJsonAtomic(this.path, data);
  }
}
