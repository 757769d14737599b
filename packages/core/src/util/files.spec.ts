import { createReadStream, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readAllJsonl, readJsonl } from './files';
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
