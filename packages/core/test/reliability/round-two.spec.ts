// Bad-input catalogue, part 4 (reliability round two), through the real `mcp-forge` process: outputs
// that would land on the workspace itself, YAML problems in a --config file, config numbers the
// schema allowed but the build could not survive, and command-line options that were ignored or
// refused. Every failure: exit code 2, one message naming the file/field and what to do, no stack
// trace, and the workspace's files unchanged.
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join, relative } from 'node:path';
import { listFiles } from './helpers/artifacts';
import { runCli, stackLines, type CliResult } from './helpers/processes';
import { scriptedServer, workspace, type Workspace } from './helpers/workspace';

const BUILD = 'samples: 6\naugmentation: { factor: 1 }\njudge: { enabled: false }\nthresholds: { scenarioTolerance: 1, minSamplesPerTool: 0 }\ngenerator: { provider: offline }\n';
const HINT = 'Fix the fields above; the schema is packages/core/src/config/forge.schema.json.';

const made: Workspace[] = [];
afterAll(() => made.forEach((ws) => ws.cleanup()));

/** A workspace whose root holds files of its own (a README.md among them), and its file list with contents. */
function project(yaml: string): { ws: Workspace; before: Record<string, string> } {
  const ws = workspace(yaml);
  made.push(ws);
  ws.write('README.md', '# my project\n');
  ws.write('package.json', '{ "name": "my-project" }\n');
  return { ws, before: snapshot(ws) };
}

function snapshot(ws: Workspace): Record<string, string> {
  return Object.fromEntries(listFiles(ws.root).map((f) => [relative(ws.root, f), readFileSync(f, 'utf8')]));
}

function cli(ws: Workspace, args: string[]): Promise<CliResult> {
  return runCli(args, { cwd: ws.root, env: { FORGE_CACHE_DIR: ws.cache }, timeoutMs: 60_000 });
}

/** Exit code 2, no stack trace, stderr ending with `mcp-forge: <message>`. */
function expectStop(r: CliResult, ws: Workspace, message: string): void {
  const stderr = r.stderr.replaceAll(ws.root, '<ws>');
  expect(stackLines(r.stderr)).toEqual([]);
  expect(stderr.endsWith(`mcp-forge: ${message}\n`) ? message : stderr).toBe(message);
  expect(r.code).toBe(2);
}

describe('outputs never land on the workspace itself', () => {
  it('B43 output.dir: ../.. (the workspace root) is refused; the workspace is unchanged', async () => {
    const { ws, before } = project(`${scriptedServer()}${BUILD}output: { dir: ../.. }\n`);
    const r = await cli(ws, ['generate', '--config', 'datasets/ds/forge.yaml']);
    expectStop(r, ws, `Invalid config (1 problem):\n<ws>/datasets/ds/forge.yaml:${BUILD.split('\n').length + 1}:16: output.dir: resolves to the workspace root <ws>; the outputs (README.md, train.jsonl, reports) would overwrite the workspace's files; use a directory of its own, e.g. dist/datasets/<name>\n${HINT}`);
    expect(snapshot(ws)).toEqual(before);
  }, 60_000);

  it('B44 output.dir naming an existing file is refused (was a raw EEXIST from mkdir)', async () => {
    const { ws, before } = project(`${scriptedServer()}${BUILD}output: { dir: ../../package.json }\n`);
    const r = await cli(ws, ['generate', '--config', 'datasets/ds/forge.yaml']);
    expectStop(r, ws, `Invalid config (1 problem):\n<ws>/datasets/ds/forge.yaml:${BUILD.split('\n').length + 1}:16: output.dir: <ws>/package.json exists and is not a directory; give a directory for the outputs (it is created when missing)\n${HINT}`);
    expect(snapshot(ws)).toEqual(before);
  }, 60_000);

  it('B45 --out . (the current directory, the project itself) is refused', async () => {
    const { ws, before } = project(`${scriptedServer()}${BUILD}`);
    const r = await cli(ws, ['generate', '--config', 'datasets/ds/forge.yaml', '--out', '.']);
    expectStop(r, ws, '--out .: <ws> is the current directory; the outputs (README.md, train.jsonl, reports) would overwrite its files.\nGive a directory of its own for the dataset, e.g. --out forge-out.');
    expect(snapshot(ws)).toEqual(before);
  }, 60_000);
});

describe('generate --config reports YAML problems at their file:line:column, as inspect does', () => {
  const server = scriptedServer();
  const deep = `${server}tools: ${'['.repeat(3000)}${']'.repeat(3000)}\n`;
  it.each([
    ['B46 a duplicate key', `${server}samples: 4\nsamples: 5\n`, ':3:1: samples: duplicate key `samples` (first set on line 2); keep only one'],
    ['B47 a tab used for indentation', `${server}generator:\n\tprovider: offline\n`, ':3:1: YAML syntax error: Tabs are not allowed as indentation'],
    ['B48 an unclosed quote', `${server}name: "weather\n`, ':3:1: YAML syntax error: Missing closing "quote'],
    ['B49 two documents in one file', `${server}---\nsamples: 4\n`, ':2:1: YAML syntax error: the file holds several YAML documents (a `---` line); a forge config is a single document'],
    // The column where the parser's stack ran out depends on the stack left when it started.
    ['B50 nesting thousands of levels deep', deep, ':2:<col>: YAML syntax error: Maximum call stack size exceeded'],
  ])('%s', async (_title, yaml, where) => {
    const { ws, before } = project(yaml);
    const r = await cli(ws, ['generate', '--config', 'datasets/ds/forge.yaml', '--samples', '4']);
    expect(stackLines(r.stderr)).toEqual([]);
    expect(r.stderr).not.toContain('cannot be stringified');
    expect(r.stderr.replaceAll(ws.root, '<ws>').replace(/:2:\d+: YAML syntax error: Maximum call stack/, ':2:<col>: YAML syntax error: Maximum call stack')).toBe(`mcp-forge: Invalid config (1 problem):\n<ws>/datasets/ds/forge.yaml${where}\n${HINT}\n`);
    expect(r.code).toBe(2);
    expect(snapshot(ws)).toEqual(before);
  }, 60_000);
});

describe('numbers the schema allowed but no build survives are bounded, with a clear message', () => {
  it.each([
    ['B51 samples: 1e12 (was a V8 fatal error, exit 133)', 'samples: 1e12\n', 'samples: must be at most 1000000, got 1000000000000'],
    ['B52 augmentation.factor: 1e9 (was a V8 fatal error)', 'augmentation: { factor: 1e9 }\n', 'augmentation.factor: must be at most 100, got 1000000000'],
    ['B53 dedup.numPerm: 1e9 (was a raw RangeError after generate and augment ran)', 'dedup: { numPerm: 1000000000 }\n', 'dedup.numPerm: must be at most 4096, got 1000000000'],
    ['B54 server.startupTimeoutMs above 2^31-1 (fired after 1 ms)', null, 'server.startupTimeoutMs: must be at most 86400000, got 3000000000'],
  ])('%s', async (_title, extra, message) => {
    const server = extra === null ? scriptedServer({}, { startupTimeoutMs: 3_000_000_000 }) : scriptedServer();
    const { ws, before } = project(`${server}${extra ?? ''}`);
    const r = await cli(ws, ['generate', '--config', 'datasets/ds/forge.yaml', '--out', 'out']);
    expect(stackLines(r.stderr)).toEqual([]);
    expect(r.stderr).toContain(`${message}\n${HINT}\n`);
    expect(r.stderr.replaceAll(ws.root, '<ws>')).toMatch(/mcp-forge: Invalid config \(1 problem\):\n<ws>\/datasets\/ds\/forge\.yaml:\d+:\d+: /);
    expect(r.code).toBe(2);
    expect(snapshot(ws)).toEqual(before);
  }, 60_000);

  it('B55 a name with ../ is refused for the name itself (was a message about output.dir)', async () => {
    const { ws } = project(`${scriptedServer()}${BUILD}name: ../escape\n`);
    const r = await cli(ws, ['generate', '--config', 'datasets/ds/forge.yaml', '--out', 'out']);
    expectStop(r, ws, `Invalid config (1 problem):\n<ws>/datasets/ds/forge.yaml:${BUILD.split('\n').length + 1}:7: name: must be a plain name without \`/\` or \`\\\` (and not . or ..): it names the default output folder dist/datasets/<name> and goes into every sample id; got string "../escape"\n${HINT}`);
  }, 60_000);
});

describe('command-line options do what they say', () => {
  it('B56 --config with output.dir writes there (it was ignored: outputs went to forge-out)', async () => {
    const { ws } = project(`${scriptedServer()}${BUILD}output: { dir: ../../dist/mine }\n`);
    const r = await cli(ws, ['generate', '--config', 'datasets/ds/forge.yaml']);
    expect([r.code, r.stderr.slice(-300)]).toEqual([0, expect.any(String)]);
    expect(existsSync(join(ws.root, 'dist/mine/train.jsonl'))).toBe(true);
    expect(existsSync(join(ws.root, 'forge-out'))).toBe(false);
  }, 90_000);

  it('B57 --seed 0 is accepted, as the schema allows (it was refused as not positive)', async () => {
    const { ws } = project(`${scriptedServer()}${BUILD}`);
    const r = await cli(ws, ['generate', '--config', 'datasets/ds/forge.yaml', '--seed', '0', '--dry-run']);
    expect([r.code, r.stderr.slice(-300)]).toEqual([0, expect.any(String)]);
    const bad = await cli(ws, ['generate', '--config', 'datasets/ds/forge.yaml', '--seed', '-1', '--dry-run']);
    expect(bad.stderr).toContain("option '--seed <n>' argument '-1' is invalid. expected an integer >= 0");
  }, 90_000);

  it('B58 two runs that differ only in --out write byte-identical datasets (the name never comes from a path)', async () => {
    const { ws } = project(`${scriptedServer()}${BUILD}`);
    const a = await cli(ws, ['generate', '--config', 'datasets/ds/forge.yaml', '--out', 'w50']);
    const b = await cli(ws, ['generate', '--config', 'datasets/ds/forge.yaml', '--out', 'w50b']);
    const c = await cli(ws, ['generate', '--server', `${process.execPath} ${join(__dirname, 'fixtures/scripted-server.js')}`, '--samples', '6', '--provider', 'offline', '--out', 'flags-a']);
    const d = await cli(ws, ['generate', '--server', `${process.execPath} ${join(__dirname, 'fixtures/scripted-server.js')}`, '--samples', '6', '--provider', 'offline', '--out', 'flags-b']);
    for (const r of [a, b, c, d]) expect([r.code, r.stderr.slice(-300)]).toEqual([0, expect.any(String)]);
    const files = (dir: string) => Object.fromEntries(listFiles(join(ws.root, dir)).filter((f) => /\.(jsonl|json|md|html)$/.test(f) && !f.endsWith('forge.yaml')).map((f) => [relative(join(ws.root, dir), f), readFileSync(f, 'utf8')]));
    const [fa, fb, fc, fd] = ['w50', 'w50b', 'flags-a', 'flags-b'].map(files);
    expect(Object.keys(fa).length).toBeGreaterThan(8);
    expect(fb).toEqual(fa);
    expect(fd).toEqual(fc);
    expect(fa['train.jsonl']).toContain('"dataset');
  }, 180_000);
});

describe('qc takes the tools in any form they come in, and names an unreadable file', () => {
  const lookup = { name: 'lookup', description: 'Look up a word', inputSchema: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] } };
  const openaiTools = [{ type: 'function', function: { name: 'lookup', description: 'Look up a word', parameters: lookup.inputSchema } }];
  const row = (word: string, withTools: boolean) =>
    JSON.stringify({
      messages: [
        { role: 'user', content: `What does ${word} mean?` },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: JSON.stringify({ word }) } }] },
        { role: 'tool', tool_call_id: 'call_1', content: JSON.stringify({ word, definition: `the meaning of ${word}` }) },
        { role: 'assistant', content: `${word} means the meaning of ${word}.` },
      ],
      ...(withTools ? { tools: openaiTools } : {}),
    });
  const WORDS = ['apple', 'river', 'lantern', 'meadow', 'copper', 'violin'];
  let ws: Workspace;
  beforeAll(() => {
    ws = workspace('');
    made.push(ws);
    ws.write('bare.jsonl', `${WORDS.map((w) => row(w, false)).join('\n')}\n`);
    ws.write('carrying.jsonl', `${WORDS.map((w) => row(w, true)).join('\n')}\n`);
    ws.write('tools-list.json', JSON.stringify({ tools: [lookup] }));
    ws.write('openai-tools.json', JSON.stringify(openaiTools));
  });
  const qc = (args: string[]) => cli(ws, ['qc', ...args, '--json']);
  const accepted = (r: CliResult) => (JSON.parse(r.stdout) as { counts: { accepted: number } }).counts.accepted;

  it('B59 --tools with a plain MCP tools/list result (was refused for lacking lock-file fields)', async () => {
    const r = await qc(['bare.jsonl', '--tools', 'tools-list.json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(accepted(r)).toBe(WORDS.length);
  }, 60_000);

  it('B60 --tools with an OpenAI tools array', async () => {
    const r = await qc(['bare.jsonl', '--tools', 'openai-tools.json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(accepted(r)).toBe(WORDS.length);
  }, 60_000);

  it('B61 no --tools when the rows carry their tools; rows without any are named', async () => {
    const r = await qc(['carrying.jsonl']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(accepted(r)).toBe(WORDS.length);
    const bare = await qc(['bare.jsonl']);
    expectStop(bare, ws, `<ws>/bare.jsonl: no --tools given, and its rows carry no tool definitions (no "tools" field, no <tools> system prompt).\nGive --tools with a tools.lock.json, an MCP tools/list result ({"tools": [...]}) or an OpenAI tools array ([{"type": "function", "function": {...}}]).`);
  }, 60_000);

  it('B62 a UTF-16 file gets a hint about its encoding (was raw NULs in the message)', async () => {
    const path = ws.write('utf16.jsonl', '');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${row('apple', true)}\n`, 'utf16le')]));
    const r = await qc(['utf16.jsonl']);
    expectStop(r, ws, `<ws>/utf16.jsonl looks like UTF-16 text (it starts with a UTF-16 byte-order mark); JSONL files must be UTF-8.\nConvert it, e.g. iconv -f UTF-16 -t UTF-8 <ws>/utf16.jsonl > converted.jsonl (PowerShell: Get-Content in.jsonl | Set-Content -Encoding utf8 out.jsonl).`);
    expect(r.stderr.includes('\u0000')).toBe(false);
  }, 60_000);

  it('B64 qc --out on a row whose arguments nest 100,000 deep rejects that row (was a bare RangeError, .tmp-* files left)', async () => {
    const deep = JSON.parse(row('apple', true));
    deep.messages[1].tool_calls[0].function.arguments = `{"word": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    ws.write('deep.jsonl', `${[row('river', true), JSON.stringify(deep), row('meadow', true)].join('\n')}\n`);
    const r = await cli(ws, ['qc', 'deep.jsonl', '--out', 'qc-out', '--json']);
    expect(stackLines(r.stderr)).toEqual([]);
    expect(r.stderr).not.toContain('Maximum call stack');
    expect(r.code).toBe(1); // one row of three is unparseable: parseRate misses its threshold
    const out = listFiles(join(ws.root, 'qc-out')).map((f) => relative(ws.root, f)).sort();
    expect(out).toEqual(['qc-out/accepted.jsonl', 'qc-out/rejected.jsonl']);
    const rejected = readFileSync(join(ws.root, 'qc-out/rejected.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejected.map((x: { reasons: string[] }) => x.reasons)).toEqual([['unparseable_arguments: lookup (nested more than 64 levels deep)']]);
  }, 60_000);

  it('B63 a line longer than the reader takes is named by file and line (was "Cannot create a string longer than 0x1fffffe8 characters")', async () => {
    // The limit is 256 MB; the same check with a 64 KB limit keeps the test small.
    const { readJsonl } = await import('../../src/util/files');
    const path = ws.write('long.jsonl', `${row('apple', true)}\n{"pad": "${'x'.repeat(200_000)}"}\n`);
    let message = '';
    try {
      for await (const _ of readJsonl(path, { chunkBytes: 4096, maxLineBytes: 65_536 })) void _;
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(`${path}:2: line 2 is longer than 65536 bytes (no line break in the first 65536 bytes); a JSONL row this long cannot be read.`);
  }, 60_000);

  it('B63 a real line over 1 GB through `mcp-forge qc --out`: exit 2 naming file and line, read only up to the 256 MB limit, nothing left behind', async () => {
    // Real content (no sparse file): one good row, then a JSON string of 1 GiB + 1 MiB written in 16 MiB pieces.
    const path = ws.write('huge.jsonl', `${row('apple', true)}\n{"pad": "`);
    const piece = Buffer.alloc(16 << 20, 'x');
    const fd = openSync(path, 'a');
    try {
      for (let i = 0; i < 65; i++) writeSync(fd, piece);
      writeSync(fd, '"}\n');
    } finally {
      closeSync(fd);
    }
    try {
      expect(statSync(path).size).toBeGreaterThan(2 ** 30);
      expect(statSync(path).blocks * 512).toBeGreaterThan(2 ** 30); // really on disk
      const r = await qc(['huge.jsonl', '--tools', 'tools-list.json', '--out', 'huge-out']);
      expectStop(
        r,
        ws,
        `<ws>/huge.jsonl:2: line 2 is longer than 268435456 bytes (no line break in the first 268435456 bytes); a JSONL row this long cannot be read.\nA .jsonl file holds one JSON value per line: check that the file is JSONL (not one huge JSON document, or a binary file).`,
      );
      const left = listFiles(ws.root).map((f) => relative(ws.root, f)).filter((f) => /\.tmp-|\.staging-|\.publish-|\.swap-|huge-out\//.test(f));
      expect(left).toEqual([]);
    } finally {
      rmSync(path, { force: true });
    }
  }, 120_000);
});
