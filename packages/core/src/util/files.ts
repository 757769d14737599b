// File output: every artifact is written atomically (temp file in the same directory, fsync,
// rename), so a killed build never leaves a truncated file that looks finished.
import { createReadStream, existsSync, mkdirSync, openSync, writeSync, fsyncSync, closeSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, relative, resolve, isAbsolute } from 'node:path';
import { createInterface } from 'node:readline';
import { ForgeError } from '../errors';

let tmpCounter = 0;

export function writeFileAtomic(path: string, content: string | Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${tmpCounter++}`;
  const fd = openSync(tmp, 'w');
  try {
    if (typeof content === 'string') writeSync(fd, content);
    else writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Writes JSONL line by line to a temp file and renames it into place on `close()`. */
export class JsonlWriter {
  private readonly fd: number;
  private readonly tmp: string;
  count = 0;
  constructor(private readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.tmp = `${path}.tmp-${process.pid}-${tmpCounter++}`;
    this.fd = openSync(this.tmp, 'w');
  }
  write(row: unknown): void {
    writeSync(this.fd, `${JSON.stringify(row)}\n`);
    this.count++;
  }
  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
    renameSync(this.tmp, this.path);
  }
  abort(): void {
    closeSync(this.fd);
    rmSync(this.tmp, { force: true });
  }
}

export function writeJsonl(path: string, rows: Iterable<unknown>): number {
  const w = new JsonlWriter(path);
  try {
    for (const r of rows) w.write(r);
  } catch (err) {
    w.abort();
    throw err;
  }
  w.close();
  return w.count;
}

/** Streams a JSONL file line by line (memory does not grow with the file). */
export async function* readJsonl<T = unknown>(path: string): AsyncGenerator<T> {
  if (!existsSync(path)) throw new ForgeError('IO', `Input file not found: ${path}`, 'Run the previous pipeline stage first.');
  if (statSync(path).isDirectory()) throw new ForgeError('IO', `${path} is a directory, not a JSONL file.`, 'Give the path of a .jsonl file.');
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (!line.trim()) continue;
    try {
      yield JSON.parse(line) as T;
    } catch (err) {
      throw new ForgeError('IO', `${path}:${n}: not valid JSON (${(err as Error).message})`, 'Each line of a .jsonl file must be one JSON value; check the file is JSONL (not JSON, CSV or text).');
    }
  }
}

export async function readAllJsonl<T = unknown>(path: string): Promise<T[]> {
  const out: T[] = [];
  for await (const row of readJsonl<T>(path)) out.push(row);
  return out;
}

/** Resolve `p` against `base` and refuse anything that escapes `root`. */
export function resolveInside(root: string, base: string, p: string, what: string): string {
  const abs = isAbsolute(p) ? resolve(p) : resolve(base, p);
  const rel = relative(resolve(root), abs);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new ForgeError('IO', `${what} resolves to ${abs}, outside the workspace ${resolve(root)}`, 'Use a path inside the workspace.');
  }
  return abs;
}
