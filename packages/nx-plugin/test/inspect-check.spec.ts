// Small Nx workspace, two checks through real Nx processes:
// - `nx run <ds>:inspect:check` asks the server every time. The server here lists the tools of a file
//   outside the workspace, so a change to its tool list changes no file Nx hashes: a cached check
//   would keep reporting the state of its first run.
// - Secret canary over Nx: builds through Nx with OPENAI_API_KEY, a ${VAR} server env value and an
//   HTTP Authorization header set to marker strings, and a stdio server that dumps its environment
//   into its tools and results and echoes the call's arguments: an offline build (run twice: built,
//   then served from the Nx cache), then builds with the openai provider, synchronous and with the
//   Batch API, against the OpenAI-compatible test server (every request body it received, batch
//   input files included, is kept: a marker absent from them cannot be echoed back). No marker in any
//   file of the workspace (Nx cache, workspace data, outputs, request caches and batch state included),
//   in what Nx printed or in any request body. A control value the server also dumps (not secret) is
//   found in the Nx cache and in the request bodies, so the search reaches them.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startTestServer, type TestServer } from 'openai-test-server';
import { createTempWorkspace, REPO, type TempWorkspace } from './temp-workspace';

let ws: TempWorkspace;
let outside: string;
const toolsFile = () => join(outside, 'tools.json');
const lookup = (description: string) => [
  { name: 'lookup', description, inputSchema: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] }, annotations: { readOnlyHint: true } },
];

beforeAll(() => {
  outside = mkdtempSync(join(tmpdir(), 'forge-drift-'));
  writeFileSync(toolsFile(), JSON.stringify(lookup('Look up a word')));
  ws = createTempWorkspace({ datasets: [] });
  mkdirSync(join(ws.root, 'datasets/drift-dataset'), { recursive: true });
  const server = join(REPO, 'packages/core/test/reliability/fixtures/scripted-server.js');
  ws.write('datasets/drift-dataset/forge.yaml', ['server:', '  command: node', `  args: [${JSON.stringify(server)}]`, '  env:', `    FIXTURE_TOOLS: ${JSON.stringify(toolsFile())}`, 'samples: 4', ''].join('\n'));
  const r = ws.nx(['run', 'drift-dataset:inspect']);
  if (r.status !== 0) throw new Error(`inspect failed: ${r.stdout}\n${r.stderr}`);
}, 180_000);

afterAll(() => {
  ws?.cleanup();
  if (outside) rmSync(outside, { recursive: true, force: true });
});

it('inspect:check reports drift every time the server changed, and is never served from the cache', () => {
  const check = () => {
    const r = ws.nx(['run', 'drift-dataset:inspect:check']);
    return { status: r.status, text: `${r.stdout}\n${r.stderr}` };
  };
  const clean = check();
  expect(clean.status).toBe(0);
  // The server's tools change; no file in the workspace does.
  writeFileSync(toolsFile(), JSON.stringify(lookup('Look up a word in the dictionary, with its etymology')));
  for (let i = 0; i < 2; i++) {
    const drift = check();
    expect(drift.status).not.toBe(0);
    expect(drift.text).toContain('lookup');
    expect(drift.text).not.toMatch(/existing outputs match the cache|local cache/i);
  }
  // Back to the locked tools: the check passes again.
  writeFileSync(toolsFile(), JSON.stringify(lookup('Look up a word')));
  expect(check().status).toBe(0);
}, 240_000);

describe('secret canary over Nx', () => {
  // Made at run time: the workspace is a copy of this repository, this file included.
  const mark = (kind: string) => `${kind}-${randomBytes(6).toString('hex')}`;
  const API_KEY = mark('sk-test-NXMARKER');
  const ENV_SECRET = mark('dict-NXMARKER-env');
  const HEADER_SECRET = mark('wx-NXMARKER-hdr');
  const CONTROL = mark('note-CONTROL');
  const MARKERS = [API_KEY, ENV_SECRET, HEADER_SECRET];
  let weather: ChildProcess | undefined;
  let weatherURL = '';
  let model: TestServer | undefined;
  /** Every request body the model endpoint received (chat requests, batch input files). */
  const bodies: string[] = [];
  const server = join(REPO, 'packages/core/test/reliability/fixtures/scripted-server.js');

  beforeAll(async () => {
    weatherURL = await new Promise<string>((resolve, reject) => {
      weather = spawn(process.execPath, [join(REPO, 'tools/weather-mcp-server/bin/weather-mcp-server.js'), '--http', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      weather.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening on (\S+)/.exec(err);
        if (m) resolve(m[1]);
      });
      weather.once('exit', (code) => reject(new Error(`weather server exited with ${code}: ${err}`)));
    });
    model = await startTestServer({ batchStepMs: 10, onRequest: (r) => bodies.push(r.body.toString('utf8')) });
    const tools = [
      { name: 'read_entry', description: 'Read a dictionary entry', inputSchema: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] }, annotations: { readOnlyHint: true } },
    ];
    writeFileSync(join(outside, 'canary-tools.json'), JSON.stringify(tools));
  }, 60_000);

  afterAll(async () => {
    weather?.kill();
    await model?.close();
  });

  /** Every file under `dir`, symbolic links not followed (node_modules is a folder of links to the real install). */
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.name === 'node_modules' || e.isSymbolicLink() ? [] : e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
  const holding = (paths: string[], marker: string) => paths.filter((f) => readFileSync(f).includes(marker)).map((f) => relative(ws.root, f));

  /** A dataset of the stdio server that dumps its environment and the weather server over HTTP, built with `generator`. */
  function writeDataset(name: string, generator: string, samples: number): void {
    mkdirSync(join(ws.root, 'datasets', name), { recursive: true });
    ws.write(
      `datasets/${name}/forge.yaml`,
      [
        'server:',
        '  - command: node',
        `    args: [${JSON.stringify(server)}]`,
        `    env: { DICT_TOKEN: "\${DICT_TOKEN}", CANARY_NOTE: "${CONTROL}", FIXTURE_DUMP_ENV: "1", FIXTURE_TOOLS: ${JSON.stringify(join(outside, 'canary-tools.json'))} }`,
        '    prefix: dict',
        `  - url: "${weatherURL}"`,
        '    headers: { Authorization: "Bearer ${WEATHER_TOKEN}" }',
        `samples: ${samples}`,
        'augmentation: { factor: 1 }',
        'judge: { enabled: false }',
        'thresholds: { scenarioTolerance: 1, minSamplesPerTool: 0 }',
        `generator: ${generator}`,
        '',
      ].join('\n'),
    );
  }

  /** `nx run <name>:synthesize` `runs` times with the markers set (from the second run on, served from the Nx cache); what Nx printed. */
  async function build(name: string, runs: number, env: NodeJS.ProcessEnv): Promise<string[]> {
    const printed: string[] = [];
    const all = { OPENAI_API_KEY: API_KEY, DICT_TOKEN: ENV_SECRET, WEATHER_TOKEN: HEADER_SECRET, ...env };
    for (let run = 0; run < runs; run++) {
      const r = await ws.nxAsync(['run', `${name}:synthesize`], { env: all });
      printed.push(r.stdout, r.stderr);
      expect([name, run, r.status, r.status === 0 ? '' : `${r.stdout}\n${r.stderr}`.slice(-3000)]).toEqual([name, run, 0, '']);
      if (run > 0) expect(r.stdout).toMatch(/existing outputs match the cache|local cache/i); // served from the Nx cache
    }
    return printed;
  }

  /** No marker in any file of the workspace (Nx cache included) nor in what Nx printed; each dataset's control value is in the Nx cache. */
  function searchWorkspace(label: string, printed: string[], datasets: string[]): void {
    const nxCache = files(join(ws.root, '.nx', 'cache'));
    const all = files(ws.root);
    // Positive control: the server's dump reached each dataset, so the Nx cache holds it as well.
    for (const name of datasets) {
      const train = `dist/datasets/${name}/train.jsonl`;
      expect([train, holding([join(ws.root, train)], 'FIXTURE_DUMP_ENV')]).toEqual([train, [train]]);
      expect([name, holding(nxCache.filter((f) => f.includes(`/dist/datasets/${name}/`)), CONTROL).length > 0]).toEqual([name, true]);
    }
    expect(all.length).toBeGreaterThan(nxCache.length);
    console.log(`nx canary figures (${label}): ${all.length} files searched (${nxCache.length} in the Nx cache), ${printed.join('').length} characters printed`);
    for (const marker of MARKERS) {
      expect([marker, holding(all, marker)]).toEqual([marker, []]);
      expect([marker, printed.filter((t) => t.includes(marker)).length]).toEqual([marker, 0]);
    }
  }

  it('offline: no marker in the Nx cache, the workspace, the outputs or what Nx printed; the control value is found in the Nx cache', async () => {
    writeDataset('canary-dataset', '{ provider: offline }', 8);
    const printed = await build('canary-dataset', 2, {});
    searchWorkspace('offline', printed, ['canary-dataset']);
  }, 240_000);

  it('openai provider, sync and batch, against the test server: no marker in any file, what Nx printed or any request body', async () => {
    const printed: string[] = [];
    for (const [name, batch] of [
      ['canary-sync', false],
      ['canary-batch', true],
    ] as const) {
      writeDataset(name, `{ provider: openai, batch: ${batch} }`, 4);
      const env = { OPENAI_BASE_URL: model!.url, FORGE_CACHE_DIR: join(ws.root, '.forge', `cache-${name}`), FORGE_BATCH_POLL_MS: '30', FORGE_BATCH_COLLECT_MS: '30' };
      printed.push(...(await build(name, 1, env)));
    }
    const all = files(ws.root);
    const under = (dir: string) => all.filter((f) => f.startsWith(join(ws.root, dir) + '/'));
    // The searched files include both request caches and the batch state, and the builds made requests.
    expect(under('.forge/cache-canary-sync').length).toBeGreaterThan(5);
    expect(under('.forge/cache-canary-batch').filter((f) => f.includes('/batches/')).length).toBeGreaterThan(0);
    expect(model!.stats().batches.created).toBeGreaterThan(0);
    for (const name of ['canary-sync', 'canary-batch']) expect([name, JSON.parse(ws.read(`dist/datasets/${name}/report.json`)).provider]).toEqual([name, 'openai']);
    // The model endpoint saw the server's dump (so it could echo it back), but no marker.
    expect(bodies.length).toBeGreaterThan(10);
    expect(bodies.some((b) => b.includes('FIXTURE_DUMP_ENV'))).toBe(true);
    expect(bodies.some((b) => b.includes(CONTROL))).toBe(true);
    for (const marker of MARKERS) expect([marker, bodies.filter((b) => b.includes(marker)).length]).toEqual([marker, 0]);
    console.log(`nx canary figures (openai): ${bodies.length} request bodies searched, ${model!.stats().batches.created} batches`);
    searchWorkspace('openai sync + batch', printed, ['canary-sync', 'canary-batch']);
  }, 300_000);
});
