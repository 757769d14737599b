// Limit-bound throughput of the openai provider: a stage of N structured-output requests
// (provider.userRequest, as the generate stage sends them) against the OpenAI-compatible test server
// with a reply latency and a requests-per-minute limit that the server enforces per second too, as
// the API may ("600 RPM" as at most 10 requests in any one-second window). The provider knows nothing
// of the limit: it runs generator.concurrency requests at once and, on a 429, pauses every worker for
// the server's retry-after-ms. Measured: wall time of the stage vs the limit-bound ideal (below),
// median of several runs, each with a fresh server and a fresh request cache.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startTestServer } from '../../tools/openai-test-server/src';
import { loadConfig } from '../../packages/core/src/config';
import { createProvider } from '../../packages/core/src/llm';
import type { PlanContext } from '../../packages/core/src/llm/provider';
import { readLock } from '../../packages/core/src/mcp/lock-file';

const REPO = resolve(__dirname, '../..');
const DATASET = join(REPO, 'datasets/weather-dataset');

export interface BenchOptions {
  requests: number;
  latencyMs: number;
  rpm: number;
  /** The server enforces rpm scaled to this window too (1000 ms: rpm/60 per second). */
  quantumMs: number;
  concurrency: number;
  /** generator.maxRetries (the provider's default is 6). */
  maxRetries?: number;
}

/**
 * The end of the earliest schedule a client could achieve with these limits, never refused: request k
 * starts at the earliest time when (a) one of `slots` is free (a request holds it for the latency),
 * (b) fewer than rpm·quantum/60 s requests started in the last quantum, and (c) fewer than rpm started
 * in the last minute; it ends one latency later.
 *
 * The limit-bound ideal is this with unlimited slots: with 300 requests, 200 ms latency and 600 RPM
 * enforced per second (10 per second), 10 requests start at 0 s, 1 s, ..., 29 s, the last end at
 * 29.2 s = (ceil(300 / 10) - 1) s + 200 ms. The first minute allows 600 requests, so the minute window
 * never binds here; only the per-second quantum does. With 8 slots the best possible is 29.4 s (8 start
 * at the top of each second and 2 at +0.2 s).
 */
export function idealMs(o: BenchOptions, slots = o.requests): number {
  const perQuantum = Math.max(1, Math.floor((o.rpm * o.quantumMs) / 60_000));
  const free = new Array<number>(Math.max(1, slots)).fill(0);
  const starts: number[] = [];
  let end = 0;
  for (let k = 0; k < o.requests; k++) {
    free.sort((a, b) => a - b);
    let t = free[0];
    if (k >= perQuantum) t = Math.max(t, starts[k - perQuantum] + o.quantumMs);
    if (k >= o.rpm) t = Math.max(t, starts[k - o.rpm] + 60_000);
    starts.push(t);
    free[0] = t + o.latencyMs;
    end = Math.max(end, t + o.latencyMs);
  }
  return end;
}

export interface RunResult {
  wallMs: number;
  requests: number;
  rateLimited: number;
  failed: number;
  /** The message of the first request that failed (after the provider's retries). */
  firstError?: string;
}

export async function runOnce(o: BenchOptions): Promise<RunResult> {
  const server = await startTestServer({ rpm: o.rpm, rateQuantumMs: o.quantumMs, faults: { latencyMs: o.latencyMs } });
  const cacheDir = mkdtempSync(join(tmpdir(), 'forge-bench-openai-'));
  try {
    const cfg = await loadConfig(DATASET, { workspaceRoot: REPO });
    cfg.generator.concurrency = o.concurrency;
    if (o.maxRetries !== undefined) cfg.generator.maxRetries = o.maxRetries;
    const env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'bench', FORGE_CACHE_DIR: cacheDir };
    const provider = createProvider({ cfg, resolved: 'openai', env, stage: 'bench', dataset: 'bench', root: REPO });
    const tools = readLock(join(DATASET, 'tools.lock.json')).tools;
    const contexts: PlanContext[] = Array.from({ length: o.requests }, (_, i) => ({
      seed: i + 1,
      scenario: 'standard',
      persona: 'a data analyst',
      style: 'concise',
      tools,
      targets: [tools[i % tools.length]],
      argHints: [{}],
      stage: 'bench',
    }));
    const started = performance.now();
    const results = await Promise.allSettled(contexts.map((c) => provider.userRequest(c)));
    const wallMs = performance.now() - started;
    await provider.close?.();
    const stats = server.stats();
    const errors = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String((r.reason as Error)?.message ?? r.reason));
    return { wallMs, requests: stats.requests.total, rateLimited: stats.rateLimited.requests, failed: errors.length, firstError: errors[0] };
  } finally {
    await server.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '300' },
      'latency-ms': { type: 'string', default: '200' },
      rpm: { type: 'string', default: '600' },
      'quantum-ms': { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '8' },
      'max-retries': { type: 'string' },
      runs: { type: 'string', default: '3' },
    },
  });
  const o: BenchOptions = {
    requests: Number(values.requests),
    latencyMs: Number(values['latency-ms']),
    rpm: Number(values.rpm),
    quantumMs: Number(values['quantum-ms']),
    concurrency: Number(values.concurrency),
    maxRetries: values['max-retries'] === undefined ? undefined : Number(values['max-retries']),
  };
  const ideal = idealMs(o);
  console.log(
    `${o.requests} requests, ${o.latencyMs} ms latency, ${o.rpm} RPM enforced per ${o.quantumMs} ms; provider concurrency ${o.concurrency}, maxRetries ${o.maxRetries ?? 'default'}: ` +
      `limit-bound ideal ${(ideal / 1000).toFixed(2)} s (best possible with ${o.concurrency} slots: ${(idealMs(o, o.concurrency) / 1000).toFixed(2)} s)`,
  );
  const runs: RunResult[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    const r = await runOnce(o);
    runs.push(r);
    console.log(`run ${i + 1}: ${(r.wallMs / 1000).toFixed(2)} s (${(r.wallMs / ideal).toFixed(3)}x ideal), ${r.requests} HTTP requests, ${r.rateLimited} answered 429, ${r.failed} failed${r.firstError ? ` (${r.firstError.split('\n')[0].slice(0, 200)})` : ''}`);
  }
  const wall = median(runs.map((r) => r.wallMs));
  const ratio = wall / ideal;
  const lost = runs.some((r) => r.failed);
  console.log(`median: ${(wall / 1000).toFixed(2)} s = ${ratio.toFixed(3)}x the ideal ${(ideal / 1000).toFixed(2)} s (target <= 1.25x, every request answered): ${ratio <= 1.25 && !lost ? 'MET' : `MISSED${lost ? ' (requests failed)' : ''}`}`);
  if (lost) process.exitCode = 1;
}

if (require.main === module || process.env.FORGE_BENCH_MAIN === '1') {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
