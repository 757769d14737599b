// In-memory Files API store: uploads, batch output/error files, listing and deletion.
import { newId } from './ids';

export interface FileObject {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: string;
  status: 'processed';
  status_details: null;
  expires_at: number | null;
}

export const FILE_PURPOSES = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'];

/** Batch input files expire after 30 days unless the upload says otherwise. */
const BATCH_FILE_TTL_SECONDS = 30 * 24 * 3600;

export class FileStore {
  private readonly files = new Map<string, { meta: FileObject; data: Buffer }>();
  constructor(private readonly nowMs: () => number) {}

  add(filename: string, purpose: string, data: Buffer, expiresAfterSeconds?: number): FileObject {
    const created = Math.floor(this.nowMs() / 1000);
    const ttl = expiresAfterSeconds ?? (purpose === 'batch' || purpose === 'batch_output' ? BATCH_FILE_TTL_SECONDS : undefined);
    const meta: FileObject = {
      id: newId('file-', 22),
      object: 'file',
      bytes: data.length,
      created_at: created,
      filename,
      purpose,
      status: 'processed',
      status_details: null,
      expires_at: ttl === undefined ? null : created + ttl,
    };
    this.files.set(meta.id, { meta, data });
    return meta;
  }

  get(id: string): { meta: FileObject; data: Buffer } | undefined {
    return this.files.get(id);
  }

  delete(id: string): boolean {
    return this.files.delete(id);
  }

  /** Newest first, like the API; `after` continues from an id of the previous page. */
  list(opts: { purpose?: string; after?: string; limit: number; order: 'asc' | 'desc' }): { data: FileObject[]; hasMore: boolean } {
    let all = [...this.files.values()].map((f) => f.meta).filter((f) => !opts.purpose || f.purpose === opts.purpose);
    if (opts.order === 'desc') all = all.reverse();
    const start = opts.after ? all.findIndex((f) => f.id === opts.after) + 1 : 0;
    const data = all.slice(start, start + opts.limit);
    return { data, hasMore: start + opts.limit < all.length };
  }
}
