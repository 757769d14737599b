// Small Nx workspace, two checks through real Nx processes:
// - `nx run <ds>:inspect:check` asks the server every time. The server here lists the tools of a file
//   outside the workspace, so a change to its tool list changes no file Nx hashes: a cached check
//   would keep reporting the state of its first run.
// - Secret canary over Nx: an offline build through Nx (run twice: built, then served from the Nx
//   cache) with OPENAI_API_KEY, a ${VAR} server env value and an HTTP Authorization header set to
//   marker strings, a stdio server that dumps its environment into its tools and results: no marker
//   in any file of the workspace (Nx cache and workspace data included) nor in what Nx printed. A
//   control value the server also dumps (not secret) is found in the Nx cache, so the search reaches it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
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
  let weather: ChildProcess | undefined;

  afterAll(() => weather?.kill());

  /** Every file under `dir`, symbolic links not followed (node_modules is a folder of links to the real install). */
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.name === 'node_modules' || e.isSymbolicLink() ? [] : e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
  const holding = (paths: string[], marker: string) => paths.filter((f) => readFileSync(f).includes(marker)).map((f) => relative(ws.root, f));

  it('no marker in the Nx cache, the workspace, the outputs or what Nx printed; the control value is found in the Nx cache', async () => {
    const url = await new Promise<string>((resolve, reject) => {
      weather = spawn(process.execPath, [join(REPO, 'tools/weather-mcp-server/bin/weather-mcp-server.js'), '--http', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      weather.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening on (\S+)/.exec(err);
        if (m) resolve(m[1]);
      });
      weather.once('exit', (code) => reject(new Error(`weather server exited with ${code}: ${err}`)));
    });
    const tools = [
      { name: 'read_entry', description: 'Read a dictionary entry', inputSchema: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] }, annotations: { readOnlyHint: true } },
    ];
    writeFileSync(join(outside, 'canary-tools.json'), JSON.stringify(tools));
    const server = join(REPO, 'packages/core/test/reliability/fixtures/scripted-server.js');
    mkdirSync(join(ws.root, 'datasets/canary-dataset'), { recursive: true });
    ws.write(
      'datasets/canary-dataset/forge.yaml',
      [
        'server:',
        '  - command: node',
        `    args: [${JSON.stringify(server)}]`,
        `    env: { DICT_TOKEN: "\${DICT_TOKEN}", CANARY_NOTE: "${CONTROL}", FIXTURE_DUMP_ENV: "1", FIXTURE_TOOLS: ${JSON.stringify(join(outside, 'canary-tools.json'))} }`,
        '    prefix: dict',
        `  - url: "${url}"`,
        '    headers: { Authorization: "Bearer ${WEATHER_TOKEN}" }',
        'samples: 8',
        'augmentation: { factor: 1 }',
        'judge: { enabled: false }',
        'thresholds: { scenarioTolerance: 1, minSamplesPerTool: 0 }',
        'generator: { provider: offline }',
        '',
      ].join('\n'),
    );
    const env = { OPENAI_API_KEY: API_KEY, DICT_TOKEN: ENV_SECRET, WEATHER_TOKEN: HEADER_SECRET };
    const printed: string[] = [];
    for (let run = 0; run < 2; run++) {
      const r = await ws.nxAsync(['run', 'canary-dataset:synthesize'], { env });
      printed.push(r.stdout, r.stderr);
      expect([run, r.status, r.status === 0 ? '' : `${r.stdout}\n${r.stderr}`.slice(-3000)]).toEqual([run, 0, '']);
    }
    expect(printed[2]).toMatch(/existing outputs match the cache|local cache/i); // the second run was served from the Nx cache
    const nxCache = files(join(ws.root, '.nx', 'cache'));
    const all = files(ws.root);
    // Positive control: the server's dump reached the dataset, so the Nx cache holds it as well.
    expect(holding([join(ws.root, 'dist/datasets/canary-dataset/train.jsonl')], 'FIXTURE_DUMP_ENV')).toHaveLength(1);
    expect(holding(nxCache, CONTROL).length).toBeGreaterThan(0);
    expect(all.length).toBeGreaterThan(nxCache.length);
    console.log(`nx canary figures: ${all.length} files searched (${nxCache.length} in the Nx cache), ${printed.join('').length} characters printed`);
    for (const marker of [API_KEY, ENV_SECRET, HEADER_SECRET]) {
      expect([marker, holding(all, marker)]).toEqual([marker, []]);
      expect([marker, printed.filter((t) => t.includes(marker)).length]).toEqual([marker, 0]);
    }
  }, 240_000);
});
