// No secrets at rest, and no live call of a tool that may write unless the config opts in.
// Full builds (synchronous, then with the Batch API) run as real CLI processes with marker strings as
// the OpenAI key, as a stdio server's env value, as an HTTP server's header and as its URL token (all
// from forge.yaml through ${VAR}); then every file written (outputs, lock, request cache, batch state,
// locks, call logs) and everything printed is searched: no marker appears anywhere. The stdio server
// dumps its whole environment into every tool result and its first tool's description, and echoes
// the call's arguments (FIXTURE_DUMP_ENV): the key must never reach it (the environment passed to
// servers is an allow-list), and what it was given through ${VAR} is masked in what it sends back.
// Every request body the model endpoint received is searched too. An offline build with the key set
// runs the same server.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../../../tools/openai-test-server/src';
import { runInspect } from '../../src/pipeline';
import { describeError } from '../../src/errors';
import { bufferLogger } from '../../src/util/log';
import { filesContaining, listFiles } from './helpers/artifacts';
import { runCli, type CliResult } from './helpers/processes';
import { SCRIPTED_SERVER, WEATHER_SERVER, toolsFile, workspace, type Workspace } from './helpers/workspace';

const API_KEY = 'sk-test-MARKER-7f3a9c';
const ENV_SECRET = 'dict-MARKER-env-51d2e8';
const HEADER_SECRET = 'wx-MARKER-hdr-90b4c1';
const URL_SECRET = 'wx-MARKER-url-3e6a0d';
const MARKERS = [API_KEY, ENV_SECRET, HEADER_SECRET];

let server: TestServer;
let weather: ChildProcess;
let weatherURL: string;
let ws: Workspace;
let alertLog: string;
let callLog: string;
const printed: Record<string, CliResult> = {};
const requestBodies: string[] = [];

/** The tools of the stdio fixture: only `read_entry` may run live under `execution: auto`. */
const ANNOTATED = [
  { name: 'read_entry', description: 'Read a dictionary entry', inputSchema: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] }, annotations: { readOnlyHint: true } },
  { name: 'web_lookup', description: 'Look a word up on the web', inputSchema: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] }, annotations: { readOnlyHint: true, openWorldHint: true } },
  { name: 'add_entry', description: 'Add a dictionary entry', inputSchema: { type: 'object', properties: { word: { type: 'string' }, text: { type: 'string' } }, required: ['word', 'text'] }, annotations: { destructiveHint: false } },
  { name: 'purge', description: 'Delete every entry', inputSchema: { type: 'object', properties: {} } },
];

function startWeatherHttp(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [WEATHER_SERVER, '--http', '0'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (\S+)/.exec(err);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`weather server exited with ${code}: ${err}`)));
  });
}

function forgeYaml(batch: boolean, provider = 'openai'): string {
  return [
    'server:',
    `  - command: ${JSON.stringify(process.execPath)}`,
    `    args: [${JSON.stringify(SCRIPTED_SERVER)}]`,
    `    env: { DICT_TOKEN: "\${DICT_TOKEN}", FIXTURE_DUMP_ENV: "1", FIXTURE_TOOLS: ${JSON.stringify(toolsFile(ws, ANNOTATED))}, FIXTURE_CALL_LOG: ${JSON.stringify(callLog)} }`,
    '    prefix: dict',
    `  - url: "${weatherURL}?api_key=\${WEATHER_URL_TOKEN}"`,
    '    headers: { Authorization: "Bearer ${WEATHER_TOKEN}" }',
    // A weight, not an execution override: it must not opt set_weather_alert into live calls.
    'tools: { overrides: { set_weather_alert: { weight: 4 } } }',
    'samples: 10',
    'augmentation: { factor: 2 }',
    'thresholds: { scenarioTolerance: 1, minSamplesPerTool: 0 }',
    `generator: { provider: ${provider}, batch: ${batch} }`,
    '',
  ].join('\n');
}

function build(name: string, batch: boolean, provider = 'openai'): Promise<CliResult> {
  ws.write(`datasets/${name}/forge.yaml`, forgeYaml(batch, provider));
  const env = {
    OPENAI_API_KEY: API_KEY,
    OPENAI_BASE_URL: server.url,
    DICT_TOKEN: ENV_SECRET,
    WEATHER_TOKEN: HEADER_SECRET,
    WEATHER_URL_TOKEN: URL_SECRET,
    FORGE_CACHE_DIR: join(ws.root, `.cache-${name}`),
    FORGE_BATCH_POLL_MS: '30',
    FORGE_BATCH_COLLECT_MS: '30',
  };
  return runCli(['generate', '--config', `datasets/${name}/forge.yaml`, '--out', `out-${name}`], { cwd: ws.root, env, timeoutMs: 120_000 });
}

beforeAll(async () => {
  ws = workspace('');
  alertLog = join(ws.root, 'weather-alerts.jsonl');
  callLog = join(ws.root, 'dict-calls.jsonl');
  server = await startTestServer({ batchStepMs: 10, onRequest: (r) => requestBodies.push(r.body.toString('utf8')) });
  ({ child: weather, url: weatherURL } = await startWeatherHttp({ WEATHER_ALERT_LOG: alertLog }));
  printed.sync = await build('sync', false);
  printed.batch = await build('batch', true);
  printed.offline = await build('offline', false, 'offline');
}, 240_000);

afterAll(async () => {
  weather?.kill();
  await server?.close();
  ws?.cleanup();
});

describe('secrets never reach files or logs', () => {
  it('S1 both builds completed, and wrote the files searched below', () => {
    for (const r of Object.values(printed)) expect([r.code, r.stderr.slice(-500)]).toEqual([0, expect.any(String)]);
    const files = listFiles(ws.root);
    const bytes = Object.values(printed).reduce((n, r) => n + r.stdout.length + r.stderr.length, 0);
    console.log(`secrets figures: ${files.length} files searched, ${bytes} characters of output, ${server.stats().batches.created} batches`);
    expect(files.filter((f) => f.includes('/.cache-sync/requests/')).length).toBeGreaterThan(10);
    expect(files.filter((f) => f.includes('/.cache-batch/batches/')).length).toBeGreaterThan(0);
    expect(server.stats().batches.created).toBeGreaterThan(0);
    for (const out of ['out-sync', 'out-batch', 'out-offline']) {
      for (const f of ['tools.lock.json', 'seeds.jsonl', 'train.jsonl', 'report.html', 'report.md', 'README.md', 'usage.json', 'qc.json']) expect(existsSync(join(ws.root, out, f))).toBe(true);
    }
  });

  it('S1b the stdio server did dump its environment into the results and the model saw them', () => {
    const train = readFileSync(join(ws.root, 'out-offline', 'train.jsonl'), 'utf8');
    expect(train).toContain('FIXTURE_DUMP_ENV');
    expect(train).toContain('[redacted]');
    expect(requestBodies.some((b) => b.includes('FIXTURE_DUMP_ENV'))).toBe(true);
  });

  it.each([API_KEY, ENV_SECRET, HEADER_SECRET])('S1c %s is in no request body the model endpoint received (so it cannot echo it)', (marker) => {
    expect(requestBodies.length).toBeGreaterThan(10);
    expect(requestBodies.filter((b) => b.includes(marker)).length).toBe(0);
  });

  it.each(MARKERS)('S2 %s appears in no file written and nothing printed', (marker) => {
    expect(filesContaining([ws.root], marker)).toEqual([]);
    for (const r of Object.values(printed)) {
      expect(r.stdout.includes(marker)).toBe(false);
      expect(r.stderr.includes(marker)).toBe(false);
    }
  });

  // KNOWN DEFECT (report/write.ts, not owned here): the report lists an HTTP server by its expanded
  // URL, so a ${VAR} token in its query string lands in report.html, report.json and README.md. The
  // lock file and every message use serverLabel() (token masked). Fix: `servers: cfg.servers.map(serverLabel)`.
  // This test is marked failing until then; when it passes, remove `.failing`.
  it('S2b the URL token appears in no file written and nothing printed', () => {
    expect(filesContaining([ws.root], URL_SECRET)).toEqual([]);
    for (const r of Object.values(printed)) expect(`${r.stdout}${r.stderr}`.includes(URL_SECRET)).toBe(false);
  });

  it('S2c the URL token reaches no file other than the reports (cache, state, lock, outputs, logs)', () => {
    const reports = /\/(README\.md|report\.html|report\.json)$/;
    expect(filesContaining([ws.root], URL_SECRET).filter((f) => !reports.test(f))).toEqual([]);
    for (const r of Object.values(printed)) expect(`${r.stdout}${r.stderr}`.includes(URL_SECRET)).toBe(false);
  });

  it('S3 the lock file names the HTTP server with its token masked, and no header or env value', () => {
    const lock = JSON.parse(readFileSync(join(ws.root, 'out-sync', 'tools.lock.json'), 'utf8'));
    expect(lock.servers.map((s: { label: string }) => s.label)).toEqual([`${process.execPath} ${SCRIPTED_SERVER}`, `${weatherURL}?api_key=***`]);
  });

  it('S4 a key echoed back by a misbehaving endpoint (401) is redacted from the message', async () => {
    const echo: Server = createServer((req, res) => {
      const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${key}.`, type: 'invalid_request_error', code: 'invalid_api_key' } }));
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/v1`;
    const other = workspace(`server: { command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(SCRIPTED_SERVER)}] }\nsamples: 2\ngenerator: { provider: openai, maxRetries: 0 }\n`);
    try {
      const r = await runCli(['generate', '--config', 'datasets/ds/forge.yaml', '--out', 'out'], { cwd: other.root, env: { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: url, FORGE_CACHE_DIR: other.cache }, timeoutMs: 60_000 });
      expect(r.code).toBe(2);
      expect(r.stderr.endsWith(`mcp-forge: ${url} rejected the API key (401): Incorrect API key provided: [redacted key]\nOPENAI_API_KEY is wrong or revoked: set a valid key in the environment (never in forge.yaml).\n`)).toBe(true);
      expect(filesContaining([other.root], API_KEY)).toEqual([]);
    } finally {
      echo.close();
      other.cleanup();
    }
  }, 60_000);

  it('S5 a failed connection names the HTTP server without its URL token or headers', async () => {
    const other = workspace('server:\n  url: "http://nonexistent.invalid/mcp?token=${WEATHER_TOKEN}"\n  headers: { X-Api-Key: "${WEATHER_TOKEN}" }\n');
    try {
      await runInspect({ config: other.dir, root: other.root, env: { WEATHER_TOKEN: HEADER_SECRET }, log: bufferLogger() });
      throw new Error('expected inspect to fail');
    } catch (err) {
      expect(describeError(err)).toBe(
        'Cannot connect to MCP server at http://nonexistent.invalid/mcp?token=*** (ENOTFOUND): fetch failed: getaddrinfo ENOTFOUND nonexistent.invalid\nCheck that the server is running, the URL (including its path, often /mcp) and server.headers.',
      );
    } finally {
      other.cleanup();
    }
  }, 30_000);
});

describe('live execution of tools that may write is opt-in (model-driven builds)', () => {
  it('S6 under execution: auto, only read-only, closed-world tools ran live', () => {
    const calls = readFileSync(callLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).name as string);
    expect(calls.length).toBeGreaterThan(0);
    expect([...new Set(calls)]).toEqual(['read_entry']);
  });

  it('S7 the weather server\'s set_weather_alert was never called live (its alert log was never written)', () => {
    const seeds = ['out-sync', 'out-batch'].flatMap((out) => readFileSync(join(ws.root, out, 'seeds.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
    const alertCalls = seeds.flatMap((s) => s.messages.flatMap((m: { tool_calls?: { name: string }[] }) => (m.tool_calls ?? []).filter((c) => c.name === 'set_weather_alert')));
    expect(alertCalls.length).toBeGreaterThan(0); // the model did call it in the conversations...
    expect(existsSync(alertLog)).toBe(false); // ...but the result was simulated
  });
});
