// Model endpoint faults, injected by the OpenAI-compatible test server (in this process). Each build
// either completes, with the affected rows rejected with reasons (retried faults lose nothing: the
// output equals a fault-free build's), or stops with one message that says what failed and how to
// resume. An endpoint that is down, unresolvable or too slow is tested through the real CLI process
// in faults-cli.spec.ts (in Jest, fetch's abort errors come from another realm and the SDK reports a
// timeout as a plain connection error). Every test has a hard timeout; none waits on a hang.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type Faults, type TestServer } from '../../../../tools/openai-test-server/src';
import { runAll } from '../../src/pipeline';
import { describeError } from '../../src/errors';
import { bufferLogger } from '../../src/util/log';
import type { Sample } from '../../src/types';
import { scriptedServer, toolsFile, workspace, type Workspace } from './helpers/workspace';

const RESUME = 'How to resume: run the same command again; completed requests are cached.';
const BUILD = 'samples: 8\naugmentation: { factor: 1 }\njudge: { enabled: false }\nthresholds: { scenarioTolerance: 1, minSamplesPerTool: 0 }\n';

let server: TestServer;
const made: Workspace[] = [];
const figures: string[] = [];
beforeAll(async () => {
  server = await startTestServer({ batchStepMs: 0 });
});
afterEach(() => server.clearFaults());
afterAll(async () => {
  await server.close();
  for (const ws of made) ws.cleanup();
  console.log(`model fault figures:\n${figures.join('\n')}`);
});

interface Build {
  ws: Workspace;
  error?: string;
  seeds: Sample[];
  rejected: Sample[];
}

/** One build through every stage against `baseURL` (the test server unless given). */
async function build(opts: { generator?: string; baseURL?: string; server?: string; extra?: string } = {}): Promise<Build> {
  const ws = workspace(`${opts.server ?? scriptedServer()}${BUILD}generator: { provider: openai, ${opts.generator ?? 'maxRetries: 2'} }\n${opts.extra ?? ''}`);
  made.push(ws);
  const env = { OPENAI_BASE_URL: opts.baseURL ?? server.url, OPENAI_API_KEY: 'sk-test-faults-0000', FORGE_CACHE_DIR: ws.cache };
  let error: string | undefined;
  try {
    await runAll({ config: ws.dir, root: ws.root, env, log: bufferLogger() });
  } catch (err) {
    error = describeError(err);
  }
  const rows = (f: string) => {
    try {
      return readFileSync(join(ws.out, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Sample);
    } catch {
      return [];
    }
  };
  return { ws, error, seeds: rows('seeds.jsonl'), rejected: rows('generate.rejected.jsonl') };
}

async function withFaults(faults: Partial<Faults>, opts: Parameters<typeof build>[0] = {}) {
  server.setFaults(faults);
  const before = server.stats();
  const result = await build(opts);
  const after = server.stats();
  const injected = (k: keyof typeof after.faults) => after.faults[k] - before.faults[k];
  const counts = Object.entries(after.faults).map(([k, v]) => [k, v - before.faults[k as keyof typeof after.faults]] as const).filter(([, n]) => n > 0);
  const requests = after.requests.total - before.requests.total;
  figures.push(`${JSON.stringify(faults)}: ${requests} requests, injected ${counts.map(([k, n]) => `${n} ${k}`).join(', ') || 'none'}; ${result.error ? 'stopped' : `completed, ${result.seeds.length} seeds, ${result.rejected.length} rejected`}`);
  return { ...result, injected };
}

describe('faults that retries absorb: the build completes and equals a fault-free build', () => {
  let reference: Build;
  beforeAll(async () => {
    reference = await build();
    expect(reference.error).toBeUndefined();
  }, 60_000);

  it('F04 a 429 storm (half of all requests rate-limited, with retry-after)', async () => {
    const r = await withFaults({ rateLimit: 0.5, retryAfterMs: 5, seed: 11 }, { generator: 'maxRetries: 12' });
    expect(r.error).toBeUndefined();
    expect(r.injected('rateLimit')).toBeGreaterThan(10);
    expect(readFileSync(join(r.ws.out, 'seeds.jsonl'), 'utf8')).toBe(readFileSync(join(reference.ws.out, 'seeds.jsonl'), 'utf8'));
    expect(readFileSync(join(r.ws.out, 'train.jsonl'), 'utf8')).toBe(readFileSync(join(reference.ws.out, 'train.jsonl'), 'utf8'));
  }, 60_000);

  it('F06 server errors (30% of requests answered 500)', async () => {
    const r = await withFaults({ serverError: 0.3, seed: 12 }, { generator: 'maxRetries: 8' });
    expect(r.error).toBeUndefined();
    expect(r.injected('serverError')).toBeGreaterThan(3);
    expect(readFileSync(join(r.ws.out, 'seeds.jsonl'), 'utf8')).toBe(readFileSync(join(reference.ws.out, 'seeds.jsonl'), 'utf8'));
  }, 60_000);
});

describe('faults that spoil single completions: the build completes, those rows are rejected with a reason', () => {
  it('F07 truncated completions (finish_reason "length")', async () => {
    // No top-up: the rows the faults spoil stay rejected (replacing them is tested elsewhere).
    // Single-call rows only: every rejection is then the fault's (a one-tool sequence may fail on its own).
    const r = await withFaults({ truncation: 0.3, seed: 13 }, { generator: 'maxRetries: 2, topUpAttempts: 0', extra: 'scenarios: { standard: 1 }\n' });
    expect(r.error).toBeUndefined();
    expect(r.injected('truncation')).toBeGreaterThan(0);
    expect(r.rejected.length).toBeGreaterThan(0);
    expect(r.seeds.length + r.rejected.length).toBe(8);
    for (const row of r.rejected) {
      expect(row.reasons).toEqual([
        'generation_failed: truncated: the model stopped at max_completion_tokens (4000) before finishing; raise generator.maxCompletionTokens or lower generator.reasoningEffort',
      ]);
    }
  }, 60_000);

  it('F08 malformed tool-call arguments (a non-strict tool: open map)', async () => {
    const tag = { name: 'tag_item', description: 'Tag an item with free-form labels', inputSchema: { type: 'object', properties: { item: { type: 'string' }, labels: { type: 'object', additionalProperties: true } }, required: ['item'] }, annotations: { readOnlyHint: true } };
    const tools = workspace('');
    made.push(tools);
    const r = await withFaults({ malformedArguments: 0.5, seed: 14 }, { server: scriptedServer({ FIXTURE_TOOLS: toolsFile(tools, [tag]) }), generator: 'maxRetries: 2, topUpAttempts: 0', extra: 'scenarios: { standard: 1 }\n' });
    expect(r.error).toBeUndefined();
    expect(r.injected('malformedArguments')).toBeGreaterThan(0);
    expect(r.rejected.length).toBeGreaterThan(0);
    expect(r.seeds.length + r.rejected.length).toBe(8);
    for (const row of r.rejected) for (const reason of row.reasons ?? []) expect(reason).toMatch(/^unparseable_arguments: tag_item \{/);
  }, 60_000);
});

describe('faults that stop the build with what failed and how to resume', () => {
  it('F05 a 429 storm that outlasts the retries', async () => {
    const r = await withFaults({ rateLimit: 1, retryAfterMs: 5 }, { generator: 'maxRetries: 2' });
    expect(r.error).toBe(
      `${server.url} still failed after 3 attempts: 429 Rate limit reached for gpt-5 in organization org-test on requests per min (RPM): Limit 10000, Used 10000, Requested 1. Please try again in 5ms. Visit https://platform.openai.com/account/rate-limits to learn more.\nRaise generator.maxRetries or lower generator.concurrency. ${RESUME}`,
    );
  }, 30_000);

  it('F09 insufficient_quota is not retried', async () => {
    const r = await withFaults({ insufficientQuota: 1 });
    expect(r.error).toBe(
      `The OpenAI account behind ${server.url} has no quota left (insufficient_quota): You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.\nAdd credit or raise the usage limit at https://platform.openai.com/account/billing (or use another key), then run the same command again; completed requests are cached.`,
    );
    expect(r.injected('insufficientQuota')).toBeLessThanOrEqual(8); // at most one per request in flight: never retried
  }, 30_000);
});
