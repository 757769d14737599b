import { createReadStream, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { exchangeDirs, OutputSet, publishMode, publishOutputSet, readAllJsonl, readJsonl, recoverOutputSets } from './files';
import { createRng } from './rng';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'forge-files-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rows(text: string, chunkBytes?: number): Promise<unknown[]> {
  const file = join(dir, `rows-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, text);
  const out: unknown[] = [];
  for await (const row of readJsonl(file, { chunkBytes })) out.push(row);
  return out;
}

/** What node:readline (the reader this one replaced) makes of the same file. */
async function readlineRows(file: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) if (line.trim()) out.push(JSON.parse(line));
  return out;
}

describe('readJsonl', () => {
  it('reads rows split across chunks, multi-byte characters included', async () => {
    const data = [{ city: 'Zürich', note: 'naïve café' }, { emoji: '🌦️ rain', n: 1 }, { text: '東京の天気' }, { empty: '' }];
    const text = `${data.map((d) => JSON.stringify(d)).join('\n')}\n`;
    for (const chunk of [1, 2, 3, 5, 7, 64, 1 << 20]) expect(await rows(text, chunk)).toEqual(data);
  });

  it('takes \\n, \\r\\n and lone \\r line breaks, skips blank lines, and needs no final line break', async () => {
    const text = '{"a":1}\r\n\r\n{"a":2}\r{"a":3}\n   \n{"a":4}';
    for (const chunk of [1, 4, 1 << 20]) expect(await rows(text, chunk)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }, { a: 4 }]);
    expect(await rows('')).toEqual([]);
    expect(await rows('\n\n')).toEqual([]);
  });

  it('gives the same rows as node:readline on a file of mixed line breaks and lengths', async () => {
    const rng = createRng(3);
    const breaks = ['\n', '\r\n', '\r', '\n\n'];
    const parts: string[] = [];
    for (let i = 0; i < 500; i++) parts.push(JSON.stringify({ i, text: 'é'.repeat(rng.int(0, 40)) + 'x'.repeat(rng.int(0, 3000)) }), rng.pick(breaks));
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(file, parts.join(''));
    const expected = await readlineRows(file);
    expect(expected).toHaveLength(500);
    for (const chunk of [97, 4096, 1 << 22]) {
      const got: unknown[] = [];
      for await (const row of readJsonl(file, { chunkBytes: chunk })) got.push(row);
      expect(got).toEqual(expected);
    }
  });

  it('names the file and line (blank lines counted) of a row that is not JSON', async () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"a":1}\n\n{"a":2}\nnot json\n');
    await expect(readAllJsonl(file)).rejects.toThrow(`${file}:4: not valid JSON`);
  });

  it('says when the file is missing or is a directory', async () => {
    await expect(readAllJsonl(join(dir, 'nope.jsonl'))).rejects.toThrow(/Input file not found/);
    await expect(readAllJsonl(dir)).rejects.toThrow(/is a directory, not a JSONL file/);
  });

  (process.platform === 'linux' ? it : it.skip)('closes the file when the reader stops early', async () => {
    const file = join(dir, 'many.jsonl');
    writeFileSync(file, Array.from({ length: 1000 }, (_, i) => JSON.stringify({ i })).join('\n'));
    const openOnFile = () =>
      readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false; // closed while listing
        }
      }).length;
    let seen = 0;
    for await (const row of readJsonl<{ i: number }>(file, { chunkBytes: 64 })) {
      if (row.i === 0) seen = openOnFile();
      if (row.i === 3) break;
    }
    expect({ whileReading: seen, afterBreak: openOnFile() }).toEqual({ whileReading: 1, afterBreak: 0 });
  });
});

describe('output sets', () => {
  const tree = (root: string): Record<string, string> => {
    const out: Record<string, string> = {};
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else out[relative(root, p)] = readFileSync(p, 'utf8');
      }
    };
    walk(root);
    return out;
  };
  const fresh = (): string => {
    const out = join(mkdtempSync(join(dir, 'set-')), 'ds');
    mkdirSync(join(out, 'openai'), { recursive: true });
    writeFileSync(join(out, 'augmented.jsonl'), 'other stage\n');
    writeFileSync(join(out, 'openai', 'train.jsonl'), 'old train\n');
    writeFileSync(join(out, 'report.json'), 'old report\n');
    return out;
  };
  const write = (set: OutputSet) => {
    mkdirSync(join(set.dir, 'openai'), { recursive: true });
    writeFileSync(join(set.dir, 'openai', 'train.jsonl'), 'new train\n');
    writeFileSync(join(set.dir, 'openai', 'eval.jsonl'), 'new eval\n');
    writeFileSync(join(set.dir, 'report.json'), 'new report\n');
  };
  const NEW = { 'augmented.jsonl': 'other stage\n', 'openai/train.jsonl': 'new train\n', 'openai/eval.jsonl': 'new eval\n', 'report.json': 'new report\n' };

  it.each(['swap', 'journal'] as const)('%s: publishes the whole set, keeps the other files, leaves nothing behind', async (mode) => {
    const out = fresh();
    const ino = statSync(out).ino;
    await publishOutputSet(out, 'synthesize', write, { mode });
    expect(tree(out)).toEqual(NEW);
    expect(readdirSync(dirname(out))).toEqual(['ds']); // no swap directory beside it
    expect(statSync(out).isDirectory() && !lstatSync(out).isSymbolicLink()).toBe(true);
    // The swap replaces the directory itself (a new inode); the journal renames files into the same one.
    expect(statSync(out).ino === ino).toBe(mode === 'journal' || publishMode() === 'journal');
  });

  it('swaps on Linux x64/arm64 with perl (the platforms CI runs on)', () => {
    if (process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) return expect(publishMode()).toBe('journal');
    expect(publishMode()).toBe('swap');
    const a = mkdtempSync(join(dir, 'xa-'));
    const b = mkdtempSync(join(dir, 'xb-'));
    writeFileSync(join(a, 'f'), 'A');
    writeFileSync(join(b, 'f'), 'B');
    expect(exchangeDirs(a, b)).toBe(true);
    expect([readFileSync(join(a, 'f'), 'utf8'), readFileSync(join(b, 'f'), 'utf8')]).toEqual(['B', 'A']);
    expect(exchangeDirs(a, join(dir, 'missing'))).toBe(false);
  });

  it('uses the journal when the output directory is the working directory (it would move away under the process)', async () => {
    const out = fresh();
    const ino = statSync(out).ino;
    const cwd = process.cwd();
    process.chdir(out);
    try {
      await publishOutputSet(out, 'synthesize', write);
    } finally {
      process.chdir(cwd);
    }
    expect(tree(out)).toEqual(NEW);
    expect(statSync(out).ino).toBe(ino);
  });

  it('a failed write publishes nothing; stale staging and swap directories of dead processes are removed', async () => {
    const out = fresh();
    const before = tree(out);
    await expect(publishOutputSet(out, 'qc', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(tree(out)).toEqual(before);
    const dead = 2 ** 22 + 1; // above Linux's pid_max default range
    mkdirSync(join(out, `.staging-qc-${dead}-0`));
    mkdirSync(join(dirname(out), `.ds.swap-${dead}-3`));
    mkdirSync(join(dirname(out), `.ds.swap-${process.pid}-99`)); // ours: in use
    mkdirSync(join(dirname(out), `.dsx.swap-${dead}-3`)); // another dataset's
    recoverOutputSets(out);
    expect(readdirSync(out).sort()).toEqual(['augmented.jsonl', 'openai', 'report.json']);
    expect(readdirSync(dirname(out)).sort()).toEqual([`.ds.swap-${process.pid}-99`, `.dsx.swap-${dead}-3`, 'ds']);
  });

  it('a journal left by a kill during the renames is completed by the next run', () => {
    const out = fresh();
    const staging = join(out, '.staging-synthesize-1-0');
    mkdirSync(join(staging, 'openai'), { recursive: true });
    writeFileSync(join(staging, 'openai', 'eval.jsonl'), 'new eval\n');
    writeFileSync(join(staging, 'report.json'), 'new report\n');
    writeFileSync(join(out, 'openai', 'train.jsonl'), 'new train\n'); // moved before the kill
    writeFileSync(join(out, '.publish-synthesize.json'), JSON.stringify({ staging: '.staging-synthesize-1-0', files: ['openai/eval.jsonl', 'openai/train.jsonl', 'report.json'] }));
    recoverOutputSets(out);
    expect(tree(out)).toEqual(NEW);
  });
});
