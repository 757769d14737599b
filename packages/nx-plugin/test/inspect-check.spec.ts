// `nx run <ds>:inspect:check` asks the server every time. The server here lists the tools of a file
// outside the workspace, so a change to its tool list changes no file Nx hashes: a cached check
// would keep reporting the state of its first run.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
