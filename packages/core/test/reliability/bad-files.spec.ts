// Bad-input catalogue, part 3: lock files edited by hand, tool names in forge.yaml that match no
// tool, command-line mistakes, and `qc` pointed at something that is not a JSONL dataset. The CLI is
// run in-process through its `main` (the same code path as the binary: the message printed on stderr
// and the exit code); cli-process.spec.ts runs the real binary.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../cli/src/main';
import { runAll, runGenerate, runInspect } from '../../src/pipeline';
import { describeError } from '../../src/errors';
import { bufferLogger } from '../../src/util/log';
import { scriptedServer, workspace, type Workspace } from './helpers/workspace';

const BUILD = 'samples: 4\naugmentation: { factor: 1 }\nthresholds: { scenarioTolerance: 1 }\n';

/** Runs `mcp-forge <args>` in-process: exit code and everything written to stderr. */
async function cli(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const capture = (chunk: unknown) => {
    stderr += String(chunk);
    return true;
  };
  const spies = [
    jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void capture(`${a.join(' ')}\n`)),
    jest.spyOn(console, 'warn').mockImplementation((...a: unknown[]) => void capture(`${a.join(' ')}\n`)),
    jest.spyOn(console, 'log').mockImplementation(() => undefined),
    jest.spyOn(process.stderr, 'write').mockImplementation(capture as typeof process.stderr.write),
  ];
  try {
    const code = await main(['node', 'mcp-forge', ...args]);
    return { code, stderr };
  } finally {
    for (const s of spies) s.mockRestore();
  }
}

async function failure(p: Promise<unknown>, ws: Workspace): Promise<string> {
  try {
    await p;
  } catch (err) {
    return describeError(err).replaceAll(ws.root, '<ws>');
  }
  throw new Error('expected a failure');
}

describe('lock files edited by hand, and forge.yaml naming tools that do not exist', () => {
  let ws: Workspace;
  let goodLock: string;
  const run = () => runGenerate({ config: ws.dir, root: ws.root, env: {}, log: bufferLogger() });
  beforeAll(async () => {
    ws = workspace(scriptedServer() + BUILD);
    await runInspect({ config: ws.dir, root: ws.root, env: {}, log: bufferLogger() });
    goodLock = readFileSync(ws.lock, 'utf8');
  }, 30_000);
  afterEach(() => writeFileSync(ws.lock, goodLock));
  afterAll(() => ws.cleanup());

  it('B23 a lock file edited into invalid JSON: line:column of the mistake', async () => {
    writeFileSync(ws.lock, goodLock.replace('"lockfileVersion": 1,', '"lockfileVersion": 1,,'));
    expect(await failure(run(), ws)).toBe(
      '<ws>/datasets/ds/tools.lock.json:2:24: invalid JSON in the lock file: Expected double-quoted property name in JSON at position 25\nFix the file, or delete it. Run `nx run ds:inspect` (or `mcp-forge inspect`) to write it again.',
    );
  });

  it('B24 a lock file with the wrong shape lists every problem', async () => {
    writeFileSync(ws.lock, JSON.stringify({ lockfileVersion: 1, servers: [{ label: 'x' }], tools: [{ name: 'lookup', server: 3, inputSchema: 'any' }] }));
    expect(await failure(run(), ws)).toBe(
      [
        '<ws>/datasets/ds/tools.lock.json is not a valid tools.lock.json:',
        '  tools[0].serverToolName: expected a non-empty string',
        '  tools[0].server: expected an index into servers (0..0), got 3',
        '  tools[0].description: expected a string',
        '  tools[0].inputSchema: expected a JSON Schema (object or boolean)',
        'Run `nx run ds:inspect` (or `mcp-forge inspect`) to write it again.',
      ].join('\n'),
    );
  });

  it('B25 a missing lock file says which target writes it', async () => {
    writeFileSync(ws.lock, goodLock);
    const other = workspace(scriptedServer() + BUILD);
    try {
      expect(await failure(runGenerate({ config: other.dir, root: other.root, env: {}, log: bufferLogger() }), other)).toBe(
        'Lock file <ws>/datasets/ds/tools.lock.json does not exist.\nRun `nx run ds:inspect` (or `mcp-forge inspect`) to write it again.',
      );
    } finally {
      other.cleanup();
    }
  });

  it('B26 a lock file that no longer matches forge.yaml (a tool of a server that is gone)', async () => {
    const lock = JSON.parse(goodLock);
    lock.servers.push({ label: 'removed-server' });
    lock.tools[0].server = 1;
    writeFileSync(ws.lock, JSON.stringify(lock));
    expect(await failure(run(), ws)).toBe('Tool "lookup" belongs to server[1], but the config lists 1 server(s).\nThe lock file is out of date: run inspect again.');
  });

  const withTools = async (tools: string) => {
    const other = workspace(scriptedServer() + BUILD + tools);
    try {
      return await failure(runAll({ config: other.dir, root: other.root, env: {}, log: bufferLogger() }), other);
    } finally {
      other.cleanup();
    }
  };

  it('B27 tools.overrides naming a tool that does not exist (a typo would silently drop the override)', async () => {
    expect(await withTools('tools: { overrides: { lokup: { execution: simulated } } }\n')).toBe(
      '<ws>/datasets/ds/forge.yaml: tools.overrides.lokup: no tool named "lokup" in tools.lock.json; did you mean "lookup"?\nTool names are the ones in tools.lock.json (with the server prefix, if any): fix the name, or run inspect again if the server changed.',
    );
  }, 30_000);

  it('B28 a tools.include entry that matches no tool, beside one that does', async () => {
    expect(await withTools('tools: { include: [lookup, define_*] }\n')).toBe(
      '<ws>/datasets/ds/forge.yaml: tools.include: "define_*" matches no tool in tools.lock.json (tools: lookup)\nTool names are the ones in tools.lock.json (with the server prefix, if any): fix the name, or run inspect again if the server changed.',
    );
  }, 30_000);

  it('B29 tools.include that leaves no tool at all', async () => {
    expect(await withTools('tools: { include: [lokup] }\n')).toBe('No tools left after tools.include/exclude (the server lists 1: lookup).\nCheck tools.include and tools.exclude in forge.yaml.');
  }, 30_000);
});

describe('command-line mistakes (exit code and the one message printed)', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = workspace(scriptedServer() + BUILD);
    ws.write('a-file', 'not a directory\n');
  });
  afterAll(() => ws.cleanup());

  it('B30 generate --out naming a file, not a directory', async () => {
    const out = join(ws.root, 'a-file');
    expect(await cli(['generate', '--config', ws.config, '--out', out])).toEqual({
      code: 2,
      stderr: `mcp-forge: --out ${out}: ${out} is a file, not a directory.\nGive a directory for the dataset (it is created when missing).\n`,
    });
  });

  it('B31 generate --config naming a file that does not exist', async () => {
    const cfg = join(ws.root, 'nope.yaml');
    expect(await cli(['generate', '--config', cfg])).toEqual({ code: 2, stderr: `mcp-forge: --config ${cfg}: file not found (${cfg}).\n` });
  });

  it('B32 generate --server with an unbalanced quote', async () => {
    expect(await cli(['generate', '--server', 'node "server.js', '--out', join(ws.root, 'o')])).toEqual({
      code: 2,
      stderr: 'mcp-forge: Cannot parse the server command line: unbalanced double quote at column 6 in: node "server.js\nClose the quote or escape it with a backslash.\n',
    });
  });

  it('B39 generate options that make an invalid config name the option, not a line of a file not yet written', async () => {
    expect(await cli(['generate', '--server', 'node server.js', '--formats', 'csv', '--provider', 'gpt', '--out', join(ws.root, 'o')])).toEqual({
      code: 2,
      stderr:
        'mcp-forge: --provider (generator.provider): must be one of: auto, openai, offline; got string "gpt"\n--formats (output.formats[0]): must be one of: hermes, openai, sharegpt, hf; got string "csv"\nSee `mcp-forge generate --help` for the accepted values.\n',
    });
  });

  it('B33 generate --samples 0', async () => {
    const { code, stderr } = await cli(['generate', '--server', 'node', '--samples', '0']);
    expect(code).toBe(1);
    expect(stderr.split('\n')[0]).toBe("error: option '--samples <n>' argument '0' is invalid. expected a positive integer");
  });
});

describe('qc on files that are not JSONL datasets', () => {
  let ws: Workspace;
  let lock: string;
  beforeAll(async () => {
    ws = workspace(scriptedServer() + BUILD);
    await runInspect({ config: ws.dir, root: ws.root, env: {}, log: bufferLogger() });
    lock = join(ws.root, 'tools.lock.json');
    copyFileSync(ws.lock, lock);
    mkdirSync(join(ws.root, 'a-directory'));
  }, 30_000);
  afterAll(() => ws.cleanup());

  const qc = async (name: string, text?: string) => {
    const file = text === undefined ? join(ws.root, name) : ws.write(name, text);
    const r = await cli(['qc', file, '--tools', lock]);
    return { ...r, stderr: r.stderr.replaceAll(ws.root, '<ws>') };
  };

  it('B34 a plain text file', async () => {
    expect(await qc('notes.jsonl', 'meeting notes\nnot json at all\n')).toEqual({
      code: 2,
      stderr: 'mcp-forge: <ws>/notes.jsonl:1: not valid JSON (Unexpected token \'m\', "meeting notes" is not valid JSON)\nEach line of a .jsonl file must be one JSON value; check the file is JSONL (not JSON, CSV or text).\n',
    });
  });

  it('B35 JSON lines that are not conversations name the file and the row', async () => {
    expect(await qc('rows.jsonl', '{"prompt": "hi", "completion": "hello"}\n')).toEqual({
      code: 2,
      stderr: 'mcp-forge: <ws>/rows.jsonl: row 1: Row has neither `messages` nor `conversations`: not a Hermes, OpenAI or ShareGPT row.\n',
    });
  });

  it('B36 a directory', async () => {
    expect(await qc('a-directory')).toEqual({ code: 2, stderr: 'mcp-forge: <ws>/a-directory is a directory, not a JSONL file.\nGive the path of a .jsonl file.\n' });
  });

  it('B37 an empty file is not a dataset that passes', async () => {
    expect(await qc('empty.jsonl', '')).toEqual({ code: 2, stderr: 'mcp-forge: <ws>/empty.jsonl holds no rows: there is nothing to check.\n' });
  });

  it('B38 --tools naming a lock file with invalid JSON', async () => {
    const bad = ws.write('broken.lock.json', '{"lockfileVersion": 1, "servers": [], "tools": [\n');
    const r = await cli(['qc', ws.write('one.jsonl', '{"messages": []}\n'), '--tools', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr.replaceAll(ws.root, '<ws>')).toBe(
      `mcp-forge: <ws>/broken.lock.json:2:1: invalid JSON in the lock file: Unexpected end of JSON input\nFix the file, or delete it. Run \`nx run ${ws.root.split('/').pop()}:inspect\` (or \`mcp-forge inspect\`) to write it again.\n`,
    );
  });
});
