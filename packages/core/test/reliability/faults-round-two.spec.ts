// Faults, round two: a model endpoint (or a gateway in front of it) that answers 200 with something
// that is not a usable chat completion, or reports impossible usage. Real `mcp-forge generate`
// processes against the OpenAI test server behind a proxy that spoils its answers in one way each.
// A fault that spoils every request stops the build (exit 2) with its cause named; a fault that spoils
// one completion rejects that row with a clear reason and the build goes on.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../../../tools/openai-test-server/src';
import { runCli, stackLines, type CliResult } from './helpers/processes';
import { scriptedServer, workspace, type Workspace } from './helpers/workspace';

const BUILD = 'samples: 6\naugmentation: { factor: 1 }\njudge: { enabled: false }\nthresholds: { scenarioTolerance: 1, minSamplesPerTool: 0, parseRate: 0, schemaConformance: 0 }\n';
const NOT_AN_API = 'Check generator.baseURL / OPENAI_BASE_URL: it must point at an OpenAI-compatible API (usually ending in /v1); a proxy or gateway in between may be answering instead.';

/** May answer a chat completion itself (returns true) or edit its body; `request` is the request's JSON text. */
type Spoil = (status: number, body: Record<string, unknown>, res: ServerResponse, request: string) => boolean;

let server: TestServer;
const proxies: Server[] = [];
const made: Workspace[] = [];
const runs: Record<string, { ws: Workspace; result: CliResult; url: string }> = {};

/** A proxy to the test server; `spoil` may answer a chat completion itself (returns true) or edit it. */
async function proxy(spoil: Spoil): Promise<string> {
  const srv = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const upstream = await fetch(`${server.url.replace(/\/v1$/, '')}${req.url}`, { method: req.method, headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' }, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const text = await upstream.text();
    if (req.url?.endsWith('/chat/completions') && upstream.status === 200) {
      const body = JSON.parse(text);
      if (spoil(upstream.status, body, res, Buffer.concat(chunks).toString('utf8'))) return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
      return;
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    res.end(text);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  proxies.push(srv);
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}/v1`;
}

async function build(name: string, spoil: Spoil, generator = 'maxRetries: 1'): Promise<void> {
  const url = await proxy(spoil);
  const ws = workspace(`${scriptedServer()}${BUILD}generator: { provider: openai, ${generator} }\nbudget: { maxUsd: 5 }\n`);
  made.push(ws);
  const result = await runCli(['generate', '--config', 'datasets/ds/forge.yaml', '--out', 'out'], { cwd: ws.root, env: { FORGE_CACHE_DIR: ws.cache, OPENAI_BASE_URL: url, OPENAI_API_KEY: 'sk-test-r2-0000' }, timeoutMs: 90_000 });
  runs[name] = { ws, result, url };
}

let deepCalls = 0;
beforeAll(async () => {
  server = await startTestServer({ batchStepMs: 0 });
  await Promise.all([
    build('usage', (_s, body) => {
      (body.usage as { prompt_tokens: number }).prompt_tokens = -5_000_000;
      return false;
    }),
    build('json', (_s, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": "chatcmpl-1", "choices": [');
      return true;
    }),
    build('html', (_s, _b, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Sign in to the corporate gateway</body></html>');
      return true;
    }),
    build('null', (_s, body) => {
      (body.choices as { message: unknown }[])[0].message = null;
      return false;
    }),
    // Every fourth first call, and every repair (asked only for those here), nested 100,000 deep: the
    // rows of the first tool-call request and every fourth after it are rejected, whatever the order
    // in which concurrent requests arrive.
    build('deep', (_s, body, _res, request) => {
      const message = (body.choices as { message: { tool_calls?: { function: { arguments: string } }[] } }[])[0].message;
      const repair = request.includes('do not validate against its schema');
      if (message.tool_calls?.length && (repair || deepCalls++ % 4 === 0)) message.tool_calls[0].function.arguments = `{"word": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
      return false;
    }),
  ]);
}, 180_000);

afterAll(async () => {
  for (const p of proxies) p.close();
  await server.close();
  for (const ws of made) ws.cleanup();
});

function expectStop(name: string, message: (url: string) => string): void {
  const { result, url } = runs[name];
  expect(stackLines(result.stderr)).toEqual([]);
  const want = message(url);
  expect(result.stderr.endsWith(`mcp-forge: ${want}\n`) ? want : result.stderr).toBe(want);
  expect(result.code).toBe(2);
}

const rejected = (name: string) => readFileSync(join(runs[name].ws.root, 'out', 'generate.rejected.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { reasons: string[] });

it('F13 a gateway reports negative prompt_tokens: the build stops instead of spending past budget.maxUsd', () => {
  expectStop('usage', () => 'The model endpoint reported impossible token usage for gpt-5: prompt_tokens = -5000000; budget.maxUsd $5.00 cannot be enforced on counts like these, so the build stopped.\nCheck the endpoint or gateway at generator.baseURL / OPENAI_BASE_URL: usage counts must be whole numbers from 0 to 100000000. Completed requests are cached.');
});

it('F14 a 200 whose JSON body does not parse is named as such (was "Cannot reach")', () => {
  const { result } = runs.json;
  expect(stackLines(result.stderr)).toEqual([]);
  expect(result.stderr).toMatch(new RegExp(`mcp-forge: ${runs.json.url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} answered with a body that is not valid JSON \\(.+\\)\\.\\n${NOT_AN_API.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\n$`));
  expect(result.code).toBe(2);
});

it('F15 a 200 text/html page (a login gateway) stops the build with its first characters (was a row rejection per sample)', () => {
  expectStop('html', (url) => `${url} answered the chat request with text that is not JSON (e.g. an HTML page): "<html><body>Sign in to the corporate gateway</body></html>"\n${NOT_AN_API}`);
});

it('F16 a completion with message: null rejects its row with that reason (was "Cannot read properties of null")', () => {
  const { result } = runs.null;
  expect(result.stderr).not.toContain('Cannot read properties');
  const reasons = rejected('null').flatMap((r) => r.reasons);
  expect(reasons.length).toBeGreaterThan(0);
  expect([...new Set(reasons)]).toEqual(['generation_failed: empty_choice: the first choice has no message (message: null)']);
});

it('F17 tool-call arguments nested 100,000 deep reject that row; the build completes (was "Calling tool ... failed: Maximum call stack size exceeded")', () => {
  const { result } = runs.deep;
  expect([result.code, result.stderr.slice(-400)]).toEqual([0, expect.any(String)]);
  expect(result.stderr).not.toContain('Maximum call stack');
  const reasons = rejected('deep').flatMap((r) => r.reasons);
  expect(reasons.some((r) => r.includes('(nested more than 64 levels deep)'))).toBe(true);
});
