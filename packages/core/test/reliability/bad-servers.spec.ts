// Bad-input catalogue, part 2: MCP servers that cannot be started or reached, and servers whose tool
// lists are not standard. Startup failures stop `inspect` with one message that says what failed and
// what to do; odd schemas (non-JSON-Schema types, a root that is not an object, recursion, 500
// properties, a 100 KB description) must WORK: listed with warnings, normalised, and built from.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startTestServer } from '../../../../tools/openai-test-server/src';
import { runAll, runInspect } from '../../src/pipeline';
import { describeError } from '../../src/errors';
import { bufferLogger } from '../../src/util/log';
import type { Sample, ToolsLock } from '../../src/types';
import { SCRIPTED_SERVER, scriptedServer, toolsFile, workspace, type Workspace } from './helpers/workspace';

const LABEL = `${process.execPath} ${SCRIPTED_SERVER}`;

/** The message `inspect` stops with for this forge.yaml. */
async function inspectFailure(yaml: string): Promise<string> {
  const ws = workspace(yaml);
  try {
    await runInspect({ config: ws.dir, root: ws.root, env: {}, log: bufferLogger() });
  } catch (err) {
    return describeError(err).replaceAll(ws.root, '<ws>');
  } finally {
    ws.cleanup();
  }
  throw new Error('expected inspect to fail');
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('servers that cannot be started or reached', () => {
  it('B11 a server command that does not exist', async () => {
    expect(await inspectFailure('server: { command: mcp-server-that-is-not-installed }\n')).toBe(
      'Cannot start MCP server: command "mcp-server-that-is-not-installed" was not found (ENOENT).\nCheck server.command: install it, put it on PATH, or give an absolute path (npx <package> works too).',
    );
  }, 20_000);

  it('B12 a server that exits at start: its stderr is quoted', async () => {
    expect(await inspectFailure(scriptedServer({ FIXTURE_MODE: 'exit-at-start' }))).toBe(
      `MCP server ${LABEL} exited during startup, before answering initialize.\nLast lines of its stderr:\nscripted-server: cannot open /var/lib/dictionary.db: permission denied\nRun the command by hand to see why it stops.`,
    );
  }, 20_000);

  it('B13 a server that hangs at initialize is stopped after startupTimeoutMs', async () => {
    expect(await inspectFailure(scriptedServer({ FIXTURE_MODE: 'hang-initialize' }, { startupTimeoutMs: 1000 }))).toBe(
      `MCP server ${LABEL} did not answer initialize within 1000 ms (timed out) and was stopped. It wrote nothing to stderr.\nIf it is only slow to start, raise server.startupTimeoutMs; otherwise check that it speaks MCP on this transport (on stdio, stdout must carry only JSON-RPC).`,
    );
  }, 20_000);

  it('B14 a server cwd that does not exist', async () => {
    expect(await inspectFailure(scriptedServer({}, { cwd: 'no-such-dir' }))).toBe(
      `Cannot start MCP server ${LABEL}: its working directory <ws>/datasets/ds/no-such-dir does not exist.\nFix server.cwd in forge.yaml.`,
    );
  }, 20_000);

  it('B15 an HTTP server nobody listens on (connection refused)', async () => {
    const port = await closedPort();
    expect(await inspectFailure(`server: { url: "http://127.0.0.1:${port}/mcp" }\n`)).toBe(
      `Cannot connect to MCP server at http://127.0.0.1:${port}/mcp (ECONNREFUSED): fetch failed: connect ECONNREFUSED 127.0.0.1:${port}\nCheck that the server is running, the URL (including its path, often /mcp) and server.headers.`,
    );
  }, 20_000);

  it('B16 an HTTP server whose host does not resolve (DNS failure)', async () => {
    expect(await inspectFailure('server: { url: "http://nonexistent.invalid/mcp" }\n')).toBe(
      'Cannot connect to MCP server at http://nonexistent.invalid/mcp (ENOTFOUND): fetch failed: getaddrinfo ENOTFOUND nonexistent.invalid\nCheck that the server is running, the URL (including its path, often /mcp) and server.headers.',
    );
  }, 20_000);

  it('B17 the same tool name on two servers, and the prefix that fixes it', async () => {
    const two = (a: string, b: string) => `server:\n  - ${a}\n  - ${b}\n`;
    const plain = JSON.stringify({ command: process.execPath, args: [SCRIPTED_SERVER] });
    expect(await inspectFailure(two(plain, plain))).toBe(
      `Duplicate tool name "lookup": both server[0] (${LABEL}) and server[1] (${LABEL}) provide it.\nGive the servers a prefix (server[].prefix, e.g. prefix: s1 makes it "s1_lookup"), or exclude one of them with tools.exclude.`,
    );
    const ws = workspace(two(plain, JSON.stringify({ command: process.execPath, args: [SCRIPTED_SERVER], prefix: 'backup' })));
    try {
      const { lock } = await runInspect({ config: ws.dir, root: ws.root, env: {}, log: bufferLogger() });
      expect(lock.tools.map((t) => [t.name, t.serverToolName, t.server])).toEqual([
        ['backup_lookup', 'lookup', 1],
        ['lookup', 'lookup', 0],
      ]);
    } finally {
      ws.cleanup();
    }
  }, 30_000);
});

const wide: Record<string, unknown> = {};
for (let i = 0; i < 500; i++) wide[`field_${i}`] = { type: i % 3 ? 'string' : 'integer', description: `Field number ${i}` };
const node = { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } }, required: ['name'] };
const ODD_TOOLS = [
  { name: 'legacy_dict', description: 'Store a record', inputSchema: { type: 'dict', properties: { data: { type: 'dict' }, ratio: { type: 'float' } }, required: ['data'] }, annotations: { readOnlyHint: true } },
  { name: 'root_string', description: 'Echo a string', inputSchema: { type: 'string' }, annotations: { readOnlyHint: true } },
  { name: 'tree', description: 'Count the nodes of a tree', inputSchema: { type: 'object', properties: { node: { $ref: '#/$defs/node' } }, required: ['node'], $defs: { node } }, annotations: { readOnlyHint: true } },
  { name: 'wide', description: `A form with 500 fields. ${'Very long documentation. '.repeat(4200)}`, inputSchema: { type: 'object', properties: wide }, annotations: { readOnlyHint: true } },
  { description: 'A tool somebody forgot to name' },
];

describe('non-standard tool lists work: listed with warnings, normalised, built from (offline)', () => {
  let ws: Workspace;
  let warnings: string[];
  let lock: ToolsLock;
  let rows: Sample[];
  beforeAll(async () => {
    ws = workspace('');
    ws.write('datasets/ds/forge.yaml', `${scriptedServer({ FIXTURE_TOOLS: toolsFile(ws, ODD_TOOLS) })}samples: 16\naugmentation: { factor: 2 }\nthresholds: { scenarioTolerance: 1, duplicateRatio: 0.2 }\n`);
    const log = bufferLogger();
    await runAll({ config: ws.dir, root: ws.root, env: {}, log });
    warnings = log.lines.filter((l) => l.startsWith('warn: ') && !l.includes('OFFLINE BUILD')).map((l) => l.slice(6));
    lock = JSON.parse(readFileSync(ws.lock, 'utf8'));
    rows = readFileSync(join(ws.out, 'augmented.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  }, 60_000);
  afterAll(() => ws.cleanup());

  const callsOf = (tool: string) => rows.flatMap((r) => r.messages.flatMap((m) => (m.tool_calls ?? []).filter((c) => c.name === tool)));
  const accepted = () => readFileSync(join(ws.out, 'accepted.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Sample);

  it('B18 "type": "dict" and "float": warned at inspect, kept as given in the lock, read as object/number', () => {
    expect(warnings).toEqual(
      expect.arrayContaining([
        `MCP server ${LABEL}: the MCP SDK rejected its tools/list (tools.0.inputSchema.type: Invalid input: expected "object"); listed again without validation`,
        'tool "legacy_dict": inputSchema root type is "dict", not "object"; kept as given',
        'tool "legacy_dict": inputSchema /properties/data has type "dict" (not a JSON Schema type)',
        'tool "legacy_dict": inputSchema /properties/ratio has type "float" (not a JSON Schema type)',
      ]),
    );
    expect(lock.tools.find((t) => t.name === 'legacy_dict')!.inputSchema).toEqual(ODD_TOOLS[0].inputSchema);
    const calls = callsOf('legacy_dict');
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) {
      expect(typeof (c.arguments as { data: unknown }).data).toBe('object');
      const ratio = (c.arguments as { ratio?: unknown }).ratio;
      if (ratio !== undefined) expect(typeof ratio).toBe('number');
    }
  });

  it('B19 an input schema whose root is not an object', () => {
    expect(warnings).toContain('tool "root_string": inputSchema root type is "string", not "object"; kept as given');
    expect(callsOf('root_string').length).toBeGreaterThan(0);
  });

  it('B20 a recursive $ref', () => {
    const calls = callsOf('tree');
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) expect(typeof (c.arguments as { node: { name: unknown } }).node.name).toBe('string');
  });

  it('B21 a tool with 500 properties and a 100 KB description', () => {
    const t = lock.tools.find((x) => x.name === 'wide')!;
    expect(t.description.length).toBeGreaterThan(100 * 1024);
    expect(Object.keys((t.inputSchema as { properties: object }).properties)).toHaveLength(500);
    expect(callsOf('wide').length).toBeGreaterThan(0);
  });

  it('B22 a tool without a name is skipped with a warning, the rest are kept', () => {
    expect(warnings).toContain('tool #5 in tools/list has no name and was skipped: {"description":"A tool somebody forgot to name"}');
    expect(lock.tools.map((t) => t.name)).toEqual(['legacy_dict', 'root_string', 'tree', 'wide']);
  });

  it('every odd tool reaches the accepted set', () => {
    const names = new Set(accepted().flatMap((r) => r.messages.flatMap((m) => (m.tool_calls ?? []).map((c) => c.name))));
    expect([...names].sort()).toEqual(['legacy_dict', 'root_string', 'tree', 'wide']);
  });
});

it('the same odd tools through the openai provider: strict conversion accepted by the test server, every tool in the accepted set', async () => {
  const server = await startTestServer({ batchStepMs: 0 });
  const ws = workspace('');
  try {
    ws.write('datasets/ds/forge.yaml', `${scriptedServer({ FIXTURE_TOOLS: toolsFile(ws, ODD_TOOLS) })}samples: 16\naugmentation: { factor: 1 }\njudge: { enabled: false }\nthresholds: { scenarioTolerance: 1 }\ngenerator: { provider: openai, maxRetries: 1 }\n`);
    await runAll({ config: ws.dir, root: ws.root, env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test-odd-0000', FORGE_CACHE_DIR: ws.cache }, log: bufferLogger() });
    expect(server.stats().requests.byStatus['400']).toBeUndefined(); // no schema refused by the strict-mode rules
    const accepted = readFileSync(join(ws.out, 'accepted.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Sample);
    const names = new Set(accepted.flatMap((r) => r.messages.flatMap((m) => (m.tool_calls ?? []).map((c) => c.name))));
    expect([...names].sort()).toEqual(['legacy_dict', 'root_string', 'tree', 'wide']);
  } finally {
    await server.close();
    ws.cleanup();
  }
}, 60_000);
