// File output: every artifact is written atomically (temp file in the same directory, fsync,
// rename), so a killed build never leaves a truncated file that looks finished.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, writeSync, fsyncSync, closeSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, isAbsolute, sep } from 'node:path';
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
  /** Lines not yet written: rows go to the file in ~1 MiB writes, not one system call each. */
  private buffered: string[] = [];
  private bufferedChars = 0;
  write(row: unknown): void {
    this.writeLine(JSON.stringify(row));
  }
  /** A row already serialised as one JSON line (no line break inside). */
  writeLine(line: string): void {
    this.buffered.push(line);
    this.bufferedChars += line.length + 1;
    this.count++;
    if (this.bufferedChars >= 1 << 20) this.flush();
  }
  private flush(): void {
    if (!this.buffered.length) return;
    writeSync(this.fd, `${this.buffered.join('\n')}\n`);
    this.buffered = [];
    this.bufferedChars = 0;
  }
  close(): void {
    this.flush();
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
/** Longest JSONL line read (a string cannot hold much more than 512 M characters; no real row comes near). */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;

/** Checks that a JSONL input exists and is a file, with a message that says what to do. */
function checkJsonlInput(path: string): void {
  if (!existsSync(path)) throw new ForgeError('IO', `Input file not found: ${path}`, 'Run the previous pipeline stage first.');
  if (statSync(path).isDirectory()) throw new ForgeError('IO', `${path} is a directory, not a JSONL file.`, 'Give the path of a .jsonl file.');
}

/** The non-blank lines of a JSONL file as read (not parsed), in batches; checks as readJsonl. */
export async function* readJsonlLines(path: string, opts: { chunkBytes?: number; maxLineBytes?: number } = {}): AsyncGenerator<string[]> {
  checkJsonlInput(path);
  for await (const lines of lineBatches(path, opts.chunkBytes ?? 1 << 20, opts.maxLineBytes ?? MAX_LINE_BYTES)) yield lines.filter((l) => l.trim());
}

export async function* readJsonl<T = unknown>(path: string, opts: { chunkBytes?: number; maxLineBytes?: number } = {}): AsyncGenerator<T> {
  checkJsonlInput(path);
  let n = 0;
  for await (const lines of lineBatches(path, opts.chunkBytes ?? 1 << 20, opts.maxLineBytes ?? MAX_LINE_BYTES)) {
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
async function* lineBatches(path: string, chunkBytes: number, maxLineBytes: number): AsyncGenerator<string[]> {
  const handle = await open(path, 'r');
  let buffer = Buffer.allocUnsafe(Math.max(1, chunkBytes));
  let kept = 0; // bytes of an unfinished line at the start of the buffer
  let linesBefore = 0; // complete lines already yielded (for the line number in messages)
  let first = true;
  try {
    for (;;) {
      if (kept === buffer.length) {
        if (kept >= maxLineBytes) {
          throw new ForgeError(
            'IO',
            `${path}:${linesBefore + 1}: line ${linesBefore + 1} is longer than ${maxLineBytes} bytes (no line break in the first ${kept} bytes); a JSONL row this long cannot be read.`,
            'A .jsonl file holds one JSON value per line: check that the file is JSONL (not one huge JSON document, or a binary file).',
          );
        }
        // One line longer than the buffer: grow it.
        const grown = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(grown, 0, 0, kept);
        buffer = grown;
      }
      const { bytesRead } = await handle.read(buffer, kept, buffer.length - kept, null);
      if (first) {
        first = false;
        utf16Check(path, buffer.subarray(0, bytesRead));
      }
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
      linesBefore += lines.length;
      kept = filled - Math.min(filled, cut + 1);
      buffer.copy(buffer, 0, filled - kept, filled);
      yield lines;
      if (eof) return;
    }
  } finally {
    await handle.close();
  }
}

/** Stops on a UTF-16 file (a byte-order mark, or NUL bytes between ASCII characters): read as UTF-8 it is noise. */
function utf16Check(path: string, head: Buffer): void {
  const bom = head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
  const sample = head.subarray(0, 64);
  let nuls = 0;
  for (const b of sample) if (b === 0) nuls++;
  if (!bom && !(sample.length >= 4 && nuls >= sample.length / 4)) return;
  throw new ForgeError(
    'IO',
    `${path} looks like UTF-16 text (${bom ? 'it starts with a UTF-16 byte-order mark' : 'NUL bytes between its characters'}); JSONL files must be UTF-8.`,
    `Convert it, e.g. iconv -f UTF-16 -t UTF-8 ${path} > converted.jsonl (PowerShell: Get-Content in.jsonl | Set-Content -Encoding utf8 out.jsonl).`,
  );
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

/**
 * Resolve `p` against `base` and refuse anything that escapes `root`. With `output: true` (an output
 * directory) also the workspace root itself and an existing non-directory.
 */
export function resolveInside(root: string, base: string, p: string, what: string, opts: { output?: boolean } = {}): string {
  const abs = isAbsolute(p) ? resolve(p) : resolve(base, p);
  const rel = relative(resolve(root), abs);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new ForgeError('IO', `${what} resolves to ${abs}, outside the workspace ${resolve(root)}`, 'Use a path inside the workspace.');
  }
  if (opts.output && rel === '') {
    throw new ForgeError('IO', `${what} resolves to the workspace root ${abs}: the outputs (README.md, train.jsonl, reports) would overwrite the workspace's files.`, 'Use a directory of its own, e.g. dist/datasets/<name>.');
  }
  if (opts.output && existsSync(abs) && !statSync(abs).isDirectory()) {
    throw new ForgeError('IO', `${what} resolves to ${abs}, which exists and is not a directory.`, 'Give a directory for the outputs (it is created when missing).');
  }
  return abs;
}

// ---------------------------------------------------------------------------------------------
// Output sets: the files one stage publishes together (synthesize: train/eval per format, the
// top-level train/eval, the reports and the dataset card; qc: accepted, rejected, qc.json). They are
// written whole into a fresh staging directory inside the output directory (`.staging-<stage>-<pid>-<n>`).
//
// Publishing, where the kernel can swap two directories in one step (Linux renameat2 with
// RENAME_EXCHANGE, reached through perl's syscall(); see `exchangeDirs`): a sibling directory
// `.<out>.swap-<pid>-<n>` next to the output directory receives hard links to every file of the
// output directory (the other stages' files stay as they are) and then the new set's files; the two
// directories are then exchanged, and the sibling, which now holds the previous state, is removed. A
// reader of the output directory sees the previous complete set up to the exchange and the new
// complete one from then on, also when the build is killed at any moment. The output directory stays
// a real directory (its inode changes: a shell whose working directory it was must `cd` again).
//
// Elsewhere (other systems, no perl, a filesystem without RENAME_EXCHANGE or hard links, an output
// directory that is a mount point or the process's working directory): a journal
// (`.publish-<stage>.json`, written atomically) lists the files and they are renamed into place one
// by one. A kill during those renames leaves files of two builds until the next run of any stage
// completes the journal (`recoverOutputSets`).

const STAGING = /^\.staging-([\w-]+)-(\d+)-\d+$/;
const journalName = (stage: string) => `.publish-${stage}.json`;
/** The pid of the process that made `name`, when it is a swap directory of output directory `out` (`.<out>.swap-<pid>-<n>`). */
function swapOwner(out: string, name: string): number | undefined {
  const prefix = `.${out}.swap-`;
  const m = name.startsWith(prefix) ? /^(\d+)-\d+$/.exec(name.slice(prefix.length)) : null;
  return m ? Number(m[1]) : undefined;
}

/** An output directory holding more entries than this is published through the journal (hard-linking it all would be slow). */
const MAX_SWAP_ENTRIES = 10_000;

function filesUnder(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path, base));
    else out.push(relative(base, path));
  }
  return out.sort();
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function rollForward(outDir: string, journal: string): void {
  const { staging, files } = JSON.parse(readFileSync(journal, 'utf8')) as { staging: string; files: string[] };
  const from = join(outDir, basename(staging));
  for (const rel of files) {
    const src = join(from, rel);
    if (!existsSync(src)) continue; // already moved before the kill
    const dest = join(outDir, rel);
    mkdirSync(dirname(dest), { recursive: true });
    renameSync(src, dest);
  }
  rmSync(journal, { force: true });
  rmSync(from, { recursive: true, force: true });
}

/** renameat2(2) by architecture (Linux). */
const RENAMEAT2: Partial<Record<string, number>> = { x64: 316, arm64: 276 };
/** false once an exchange failed in this process: the journal is used from then on. */
let exchangeUsable: boolean | undefined;

/** How the next output set is published: 'swap' where the kernel can exchange two directories, else 'journal'. */
export function publishMode(): 'swap' | 'journal' {
  return exchangeUsable !== false && process.platform === 'linux' && RENAMEAT2[process.arch] !== undefined ? 'swap' : 'journal';
}

/**
 * Exchanges two directories in one step: renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE).
 * Node has no binding for it; perl (on every Debian/Ubuntu/Fedora/Alpine-with-perl system) makes the
 * syscall. Returns false when it did not happen (no perl, no such syscall, a filesystem without it).
 */
export function exchangeDirs(a: string, b: string): boolean {
  const nr = RENAMEAT2[process.arch];
  if (process.platform !== 'linux' || nr === undefined) return false;
  const perl = existsSync('/usr/bin/perl') ? '/usr/bin/perl' : 'perl';
  const before = statSync(a).ino;
  const run = spawnSync(perl, ['-e', `my($a,$b)=@ARGV; syscall(${nr},-100,$a,-100,$b,2)==0 or die "$!\\n"`, a, b], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 30_000,
  });
  if (run.status === 0) return true;
  // Failed to start, refused, or stopped: the inode at `b` says whether the exchange took place.
  try {
    return statSync(b).ino === before;
  } catch {
    return false;
  }
}

/** Hard links of everything under `from` into `to` (created), except `skip(rel)`; throws on what cannot be linked. */
function mirror(from: string, to: string, skip: (rel: string) => boolean, budget: { left: number }, base = from): void {
  mkdirSync(to);
  chmodSync(to, statSync(from).mode & 0o7777);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    const rel = relative(base, src);
    if (skip(rel)) continue;
    if (--budget.left < 0) throw new Error('too many entries');
    const dest = join(to, entry.name);
    if (entry.isDirectory()) mirror(src, dest, skip, budget, base);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(src), dest);
    else if (entry.isFile()) linkSync(src, dest);
    else throw new Error(`${src}: not a file or directory`);
  }
}

/** Completes every publication a killed build left half done, and removes abandoned staging and swap directories. */
export function recoverOutputSets(outDir: string): void {
  if (!existsSync(outDir) || !statSync(outDir).isDirectory()) return;
  const entries = readdirSync(outDir);
  for (const name of entries) {
    if (/^\.publish-[\w-]+\.json$/.test(name)) {
      try {
        rollForward(outDir, join(outDir, name));
      } catch {
        rmSync(join(outDir, name), { force: true }); // a journal that does not parse was never complete
      }
    }
  }
  for (const name of readdirSync(outDir)) {
    const m = STAGING.exec(name);
    if (m && !alive(Number(m[2]))) rmSync(join(outDir, name), { recursive: true, force: true });
  }
  // A swap directory left by a killed build holds either the unpublished new state or the previous one: the output directory is complete either way.
  const real = realpathSync(outDir);
  let siblings: string[] = [];
  try {
    siblings = readdirSync(dirname(real));
  } catch {
    return; // a parent we may not list holds no swap directory of ours
  }
  for (const name of siblings) {
    const owner = swapOwner(basename(real), name);
    if (owner !== undefined && !alive(owner)) rmSync(join(dirname(real), name), { recursive: true, force: true });
  }
}

export class OutputSet {
  /** The staging directory: write the set's files here, under the names they get in `outDir`. */
  readonly dir: string;
  constructor(
    readonly outDir: string,
    readonly stage: string,
    private readonly opts: { mode?: 'swap' | 'journal' } = {},
  ) {
    mkdirSync(outDir, { recursive: true });
    recoverOutputSets(outDir);
    this.dir = join(outDir, `.staging-${stage}-${process.pid}-${tmpCounter++}`);
    mkdirSync(this.dir);
  }

  /** Copies an input the set's writers read from the output directory into the staging directory (removed before publishing). */
  borrow(rel: string): string | undefined {
    const src = join(this.outDir, rel);
    if (!existsSync(src)) return undefined;
    const dest = join(this.dir, rel);
    copyFileSync(src, dest);
    return dest;
  }

  /** Puts the whole set in place; returns the files published (relative to outDir). */
  publish(): string[] {
    const files = filesUnder(this.dir);
    if ((this.opts.mode ?? publishMode()) === 'swap' && this.swap(files)) return files;
    const journal = join(this.outDir, journalName(this.stage));
    writeJsonAtomic(journal, { staging: basename(this.dir), files });
    rollForward(this.outDir, journal);
    return files;
  }

  /** Publishes by exchanging the output directory with a complete copy (hard links) holding the new set; false if that cannot be done here. */
  private swap(files: string[]): boolean {
    const out = realpathSync(this.outDir);
    try {
      const fromCwd = relative(out, realpathSync(process.cwd()));
      if (!fromCwd.startsWith('..') && !isAbsolute(fromCwd)) return false; // our own working directory would move away
      if (statSync(dirname(out)).dev !== statSync(out).dev) return false; // a mount point: its sibling is on another filesystem
    } catch {
      return false; // a working directory that no longer exists, a parent we may not read
    }
    const next = join(dirname(out), `.${basename(out)}.swap-${process.pid}-${tmpCounter++}`);
    const staging = relative(out, realpathSync(this.dir));
    const publishing = new Set(files);
    const skip = (rel: string) => publishing.has(rel) || (!rel.includes(sep) && (STAGING.test(rel) || /^\.publish-[\w-]+\.json$/.test(rel))) || rel === staging;
    try {
      mirror(out, next, skip, { left: MAX_SWAP_ENTRIES });
      for (const rel of files) {
        const dest = join(next, rel);
        mkdirSync(dirname(dest), { recursive: true });
        linkSync(join(this.dir, rel), dest);
      }
    } catch {
      rmSync(next, { recursive: true, force: true });
      return false;
    }
    if (!exchangeDirs(next, out)) {
      exchangeUsable = false;
      rmSync(next, { recursive: true, force: true });
      return false;
    }
    // `next` now holds the previous state, this set's staging directory included.
    rmSync(next, { recursive: true, force: true });
    return true;
  }

  abort(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs `write` against a fresh staging directory and publishes what it wrote as one set. */
export async function publishOutputSet<T>(outDir: string, stage: string, write: (set: OutputSet) => Promise<T> | T, opts: { mode?: 'swap' | 'journal' } = {}): Promise<T> {
  const set = new OutputSet(outDir, stage, opts);
  try {
    const result = await write(set);
    set.publish();
    return result;
  } catch (err) {
    set.abort();
    throw err;
  }
}
