// MCP servers that misbehave in the middle of a build (offline provider, live read-only tool):
// a tool call that never returns stops the build after server.callTimeoutMs with a message; a tool
// that fails every call leaves the build complete, with the affected rows rejected with the tool's
// own error. (A server that crashes mid-build: faults-cli.spec.ts, through the real CLI process.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAll } from '../../src/pipeline';
import { describeError } from '../../src/errors';
import { bufferLogger } from '../../src/util/log';
import type { Sample } from '../../src/types';
import { SCRIPTED_SERVER, scriptedServer, workspace } from './helpers/workspace';

// No top-up: the rows the failing tool spoils stay rejected (replacing them is tested elsewhere).
const BUILD = 'samples: 10\naugmentation: { factor: 1 }\ngenerator: { topUpAttempts: 0 }\nthresholds: { scenarioTolerance: 1, minSamplesPerTool: 0 }\n';
const LABEL = `${process.execPath} ${SCRIPTED_SERVER}`;

async function build(env: Record<string, string>, extra: Record<string, unknown> = {}) {
  const ws = workspace(scriptedServer(env, extra) + BUILD);
  try {
    let error: string | undefined;
    try {
      await runAll({ config: ws.dir, root: ws.root, env: {}, log: bufferLogger() });
    } catch (err) {
      error = describeError(err);
    }
    const read = (f: string) => readFileSync(join(ws.out, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Sample);
    const files = error ? {} : { seeds: read('seeds.jsonl'), rejected: read('generate.rejected.jsonl') };
    return { error, ...files };
  } finally {
    ws.cleanup();
  }
}

it('F11 a tool call that never returns stops the build after callTimeoutMs', async () => {
  const { error } = await build({ FIXTURE_MODE: 'hang-calls' }, { callTimeoutMs: 700 });
  expect(error).toBe(
    `Tool "lookup" on MCP server ${LABEL} did not answer within 700 ms (timed out).\nRaise server.callTimeoutMs if the tool is just slow, or simulate it (tools.overrides.<name>.execution: simulated); then run the build again.`,
  );
}, 30_000);

it('F12 a tool that fails every call: the build completes, its rows are rejected with the error', async () => {
  const { error, seeds = [], rejected = [] } = await build({ FIXTURE_MODE: 'error-calls' });
  expect(error).toBeUndefined();
  expect(rejected.length).toBeGreaterThan(0);
  expect(seeds.length + rejected.length).toBe(10);
  for (const r of rejected) {
    // An error row fails as planned, but with a cause that names nothing of the call (semantic QC).
    if (r.scenario === 'error') expect(r.reasons).toEqual([expect.stringMatching(/^error_unrelated: the failure of lookup mentions none of its arguments/)]);
    else expect(r.reasons).toEqual(['live_call_failed: lookup returned Error: the dictionary backend is unavailable']);
  }
  // What is left makes no successful call of the failing tool: only scenarios that need no success.
  for (const s of seeds) expect(['no_tool', 'irrelevance', 'error', 'ambiguous']).toContain(s.scenario);
}, 30_000);
