// Faults seen through the real `mcp-forge generate` process, as a user or CI sees them: the process
// ends (never hangs: each run has a hard deadline), exits with code 2, and stderr ends with one
// message that says what failed and how to resume, with no stack trace.
import { createServer } from 'node:net';
import { startTestServer, type TestServer } from '../../../../tools/openai-test-server/src';
import { runCli, stackLines, type CliResult } from './helpers/processes';
import { SCRIPTED_SERVER, scriptedServer, workspace, type Workspace } from './helpers/workspace';

const RESUME = 'How to resume: run the same command again; completed requests are cached.';
const BUILD = 'samples: 6\naugmentation: { factor: 1 }\njudge: { enabled: false }\nthresholds: { scenarioTolerance: 1, minSamplesPerTool: 0 }\n';

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

let server: TestServer;
let refusedURL: string;
const made: Workspace[] = [];
const runs: Record<string, Promise<CliResult>> = {};

/** Starts `mcp-forge generate --config forge.yaml --out out` in a new workspace. */
function generate(yaml: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  const ws = workspace(yaml);
  made.push(ws);
  return runCli(['generate', '--config', 'datasets/ds/forge.yaml', '--out', 'out'], { cwd: ws.root, env: { FORGE_CACHE_DIR: ws.cache, ...env }, timeoutMs: 60_000 });
}

beforeAll(async () => {
  server = await startTestServer({ batchStepMs: 0, faults: { latencyMs: 1500 } });
  refusedURL = `http://127.0.0.1:${await closedPort()}/v1`;
  const openai = (url: string, generator = 'maxRetries: 1') => [`${scriptedServer()}${BUILD}generator: { provider: openai, ${generator} }\n`, { OPENAI_BASE_URL: url, OPENAI_API_KEY: 'sk-test-cli-0000' }] as const;
  // Started together: each spends its time waiting (retries, timeouts), not computing.
  runs.refused = generate(...openai(refusedURL));
  runs.dns = generate(...openai('http://nonexistent.invalid/v1'));
  runs.slow = generate(...openai(server.url, 'maxRetries: 1, timeoutMs: 300'));
  runs.crash = generate(scriptedServer({ FIXTURE_MODE: 'crash-after', FIXTURE_CRASH_AFTER: '3' }) + BUILD, {});
  await Promise.all(Object.values(runs));
}, 90_000);

afterAll(async () => {
  await server.close();
  for (const ws of made) ws.cleanup();
});

/** Exit code 2, no stack trace, and stderr ending with the message. */
async function expectStop(run: Promise<CliResult>, message: string): Promise<void> {
  const r = await run;
  expect(r.timedOut).toBe(false);
  expect(stackLines(r.stderr)).toEqual([]);
  expect(r.stderr.endsWith(`mcp-forge: ${message}\n`) ? message : r.stderr).toBe(message);
  expect(r.code).toBe(2);
}

it('F01 endpoint down: nothing listens (connection refused)', async () => {
  await expectStop(runs.refused, `Cannot reach ${refusedURL} after 2 attempts: Connection error.\nCheck generator.baseURL / OPENAI_BASE_URL and the network. ${RESUME}`);
});

it('F02 a host that does not resolve (DNS failure)', async () => {
  await expectStop(runs.dns, `Cannot reach http://nonexistent.invalid/v1 after 2 attempts: Connection error.\nCheck generator.baseURL / OPENAI_BASE_URL and the network. ${RESUME}`);
});

it('F03 replies slower than generator.timeoutMs', async () => {
  await expectStop(runs.slow, `Cannot reach ${server.url} after 2 attempts: Request timed out.\nCheck generator.baseURL / OPENAI_BASE_URL and the network. ${RESUME}`);
});

it('F10 the MCP server crashes in the middle of the build', async () => {
  await expectStop(
    runs.crash,
    `MCP server ${process.execPath} ${SCRIPTED_SERVER} is not running: the connection closed while calling tool "lookup".\nLast lines of its stderr:\nscripted-server: segmentation fault after 3 calls\nThe server crashed or exited; run its command by hand to see why, then run the build again (completed model requests are cached).`,
  );
});
