// File output: every artifact is written atomically (temp file in the same directory, fsync,
// rename), so a killed build never leaves a truncated file that looks finished.
import { existsSync, mkdirSync, openSync, writeSync, fsyncSync, closeSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, relative, resolve, isAbsolute } from 'node:path';
import { open } from 'node:fs/promises';
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

/**
 * Streams a JSONL file row by row (memory holds one chunk, not the file). Lines end with \n, \r\n or
 * a lone \r (as node:readline reads them); blank lines are skipped.
 */
export async function* readJsonl<T = unknown>(path: string, opts: { chunkBytes?: number } = {}): AsyncGenerator<T> {
  if (!existsSync(path)) throw new ForgeError('IO', `Input file not found: ${path}`, 'Run the previous pipeline stage first.');
  if (statSync(path).isDirectory()) throw new ForgeError('IO', `${path} is a directory, not a JSONL file.`, 'Give the path of a .jsonl file.');
  let n = 0;
  for await (const lines of lineBatches(path, opts.chunkBytes ?? 1 << 20)) {
    for (let k = 0; k < lines.length; k++) {
      const line = lines[k];
      lines[k] = ''; // let the text go once parsed: fewer live strings for each young-generation GC to copy
      n++;
      if (!line.trim()) continue;
      let row: T;
      try {
        row = JSON.parse(line) as T;
      } catch (err) {
        throw new ForgeError('IO', `${path}:${n}: not valid JSON (${(err as Error).message})`, 'Each line of a .jsonl file must be one JSON value; check the file is JSONL (not JSON, CSV or text).');
      }
      yield row;
    }
  }
}

// The lines of a text file, one batch per chunk read. Faster than node:readline on large datasets
// (which decodes whole chunks, splits them with a regular expression and emits one event per line):
// big reads, line ends found in the bytes (a \n byte never occurs inside a multi-byte UTF-8
// character), each line decoded once. A lone \r is looked for only in chunks that hold one.
async function* lineBatches(path: string, chunkBytes: number): AsyncGenerator<string[]> {
  const handle = await open(path, 'r');
  let buffer = Buffer.allocUnsafe(Math.max(1, chunkBytes));
  let kept = 0; // bytes of an unfinished line at the start of the buffer
  try {
    for (;;) {
      if (kept === buffer.length) {
        // One line longer than the buffer: grow it.
        const grown = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(grown, 0, 0, kept);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, kept, buffer.length - kept, null);
      const eof = bytesRead === 0;
      const filled = kept + bytesRead;
      // Complete lines end at the last \n (at the end of the file: at its end).
      const cut = eof ? filled : buffer.lastIndexOf(10, filled - 1);
      if (filled === 0 || cut < 0) {
        kept = filled;
        if (eof) return;
        continue;
      }
      const lines: string[] = [];
      const hasCR = buffer.subarray(0, cut).indexOf(13) >= 0;
      for (let pos = 0; pos <= cut && pos < filled; ) {
        let stop = buffer.indexOf(10, pos);
        if (stop < 0 || stop > cut) stop = cut;
        const line = buffer.toString('utf8', pos, stop);
        if (hasCR) pushSplitAtCR(lines, line);
        else lines.push(line);
        pos = stop + 1;
      }
      kept = filled - Math.min(filled, cut + 1);
      buffer.copy(buffer, 0, filled - kept, filled);
      yield lines;
      if (eof) return;
    }
  } finally {
    await handle.close();
  }
}

function pushSplitAtCR(lines: string[], line: string): void {
  const body = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (body.indexOf('\r') < 0) lines.push(body);
  else lines.push(...body.split('\r'));
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
