// MCP servers that break the protocol, round two: each fault is named for what it is, not as a
// timeout or a crash. Offline builds with the read-only `lookup` tool running live (as faults-mcp.spec.ts).
import { runAll, runInspect } from '../../src/pipeline';
import { describeError } from '../../src/errors';
import { bufferLogger } from '../../src/util/log';
import { SCRIPTED_SERVER, scriptedServer, workspace } from './helpers/workspace';

const BUILD = 'samples: 6\naugmentation: { factor: 1 }\nthresholds: { scenarioTolerance: 1, minSamplesPerTool: 0 }\n';
const LABEL = `${process.execPath} ${SCRIPTED_SERVER}`;
const SIMULATE = 'This is a bug in the server (report it to its maintainers); until it is fixed, simulate the tool (tools.overrides.lookup.execution: simulated).';

/** The message a build ends with, and how long it took. */
async function failure(mode: string, inspectOnly = false): Promise<{ error: string; ms: number }> {
  const ws = workspace(scriptedServer({ FIXTURE_MODE: mode }, { startupTimeoutMs: 20_000, callTimeoutMs: 20_000 }) + BUILD);
  const started = Date.now();
  try {
    await (inspectOnly ? runInspect : runAll)({ config: ws.dir, root: ws.root, env: {}, log: bufferLogger() });
    throw new Error('expected the build to fail');
  } catch (err) {
    return { error: describeError(err), ms: Date.now() - started };
  } finally {
    ws.cleanup();
  }
}

it('F18 a server that exits right after answering initialize (was "did not answer initialize within 15000 ms")', async () => {
  const { error, ms } = await failure('exit-after-initialize', true);
  // Whether the exit is seen during the handshake or at the first request depends on timing: both name it.
  const when = /(exited right after answering initialize, before the session started|exited before answering tools\/list \(right after initialize\))/.exec(error)?.[1];
  expect(error).toBe(`MCP server ${LABEL} ${when}.\nLast lines of its stderr:\nscripted-server: license check failed, exiting\nRun the command by hand to see why it stops.`);
  expect(when).toBeDefined();
  expect(ms).toBeLessThan(20_000); // named at once, not after startupTimeoutMs
}, 60_000);

it('F19 a tools/list that never answers is named with its timeout (was a bare "MCP error -32001: Request timed out")', async () => {
  const ws = workspace(scriptedServer({ FIXTURE_MODE: 'hang-list' }, { startupTimeoutMs: 700, callTimeoutMs: 700 }) + BUILD);
  try {
    await runInspect({ config: ws.dir, root: ws.root, env: {}, log: bufferLogger() });
    throw new Error('expected inspect to fail');
  } catch (err) {
    expect(describeError(err)).toBe(`MCP server ${LABEL} did not answer tools/list within 700 ms (timed out).\nRaise server.callTimeoutMs if it is only slow; otherwise the server is stuck: run its command by hand to see why.`);
  } finally {
    ws.cleanup();
  }
}, 60_000);

it('F20 a tools/call result that is not an object is a protocol violation (was a timeout after callTimeoutMs)', async () => {
  const { error, ms } = await failure('non-object-result');
  expect(error).toBe(`MCP server ${LABEL} broke the protocol while calling tool "lookup": it sent a message that is not valid JSON-RPC 2.0 (e.g. a "result" that is not an object).\n${SIMULATE}`);
  expect(ms).toBeLessThan(20_000);
}, 60_000);

it('F21 an answer with a JSON-RPC id that was never sent (was a bare "Request timed out")', async () => {
  const { error, ms } = await failure('wrong-id');
  expect(error).toMatch(new RegExp(`^MCP server ${LABEL.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} broke the protocol while calling tool "lookup": it sent an answer for a request id it was never sent \\(a JSON-RPC id mismatch\\): \\{"jsonrpc":"2\\.0","id":"\\d+-other",`));
  expect(ms).toBeLessThan(20_000);
}, 60_000);

it('F22 a result larger than the MCP client\'s 10 MB read buffer (was "server crashed")', async () => {
  const { error } = await failure('huge-result');
  expect(error).toBe(`MCP server ${LABEL} answered tool "lookup" with a message larger than 10485760 bytes, the most the MCP client reads at once; the connection was closed.\nMake the tool return less (a smaller page or a limit argument), or simulate it (tools.overrides.lookup.execution: simulated); then run the build again.`);
}, 60_000);
