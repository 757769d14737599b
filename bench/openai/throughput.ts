// Limit-bound throughput of the openai provider: a stage of N structured-output requests
// (provider.userRequest, as the generate stage sends them) against the OpenAI-compatible test server
// with a reply latency and rate limits the server enforces. Two models of the limit:
//  - `--bucket-ms 1000` (default): OpenAI-style token buckets holding one second of each limit,
//    refilled continuously, x-ratelimit-* headers on every reply. Ideal = requests / RPM (or tokens
//    counted by the server / TPM when that binds), plus one latency.
//  - `--bucket-ms 0`: a sliding minute window enforced per `--quantum-ms` too (the older model);
//    ideal = the earliest schedule those windows allow (idealMs below).
// The provider knows nothing of the limit beyond what the replies' headers say: generator.concurrency
// (`auto` by default) is only an upper bound. Faults: `--fault-429 0.2` answers that share of requests
// 429 with `--fault-retry-after-ms`; `--retry-after ms|seconds|none` sets the hints of the limiter's own
// 429s. Measured: wall time vs the ideal, 429s, requests lost; median of several runs, each with a fresh
// server and a fresh request cache.
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
  /** generator.concurrency: a number (upper bound) or 'auto'. */
  concurrency: number | 'auto';
  /** generator.maxRetries (the provider's default is 6). */
  maxRetries?: number;
  /** Token buckets holding this many ms of each limit (0 = sliding window + quantum). */
  bucketMs: number;
  tpm?: number;
  fault429?: number;
  faultRetryAfterMs?: number;
  retryAfter?: 'ms' | 'seconds' | 'none';
  /** Providers sharing the endpoint and the cache dir (as processes of `nx run-many` do); the requests are split between them. */
  providers?: number;
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
  const free = new Array<number>(Math.max(1, Math.min(slots, o.requests))).fill(0);
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
  /** Injected 429 faults. */
  faulted: number;
  /** Tokens the server counted against TPM (prompt + reserved completion of admitted requests). */
  tokensCounted: number;
  failed: number;
  /** The message of the first request that failed (after the provider's retries). */
  firstError?: string;
}

export async function runOnce(o: BenchOptions): Promise<RunResult> {
  const server = await startTestServer({
    rpm: o.rpm,
    tpm: o.tpm,
    rateQuantumMs: o.bucketMs ? undefined : o.quantumMs,
    rateBucketMs: o.bucketMs || undefined,
    retryAfter: o.retryAfter,
    faults: { latencyMs: o.latencyMs, rateLimit: o.fault429 ?? 0, retryAfterMs: o.faultRetryAfterMs ?? 1000, seed: Math.floor(Math.random() * 1e9) },
  });
  const cacheDir = mkdtempSync(join(tmpdir(), 'forge-bench-openai-'));
  try {
    const cfg = await loadConfig(DATASET, { workspaceRoot: REPO });
    cfg.generator.concurrency = o.concurrency;
    if (o.maxRetries !== undefined) cfg.generator.maxRetries = o.maxRetries;
    const env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'bench', FORGE_CACHE_DIR: cacheDir };
    const providers = Array.from({ length: Math.max(1, o.providers ?? 1) }, (_, i) => createProvider({ cfg, resolved: 'openai', env, stage: 'bench', dataset: `bench-${i}`, root: REPO }));
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
    const results = await Promise.allSettled(contexts.map((c, i) => providers[i % providers.length].userRequest(c)));
    const wallMs = performance.now() - started;
    for (const p of providers) await p.close?.();
    const stats = server.stats();
    const errors = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => String((r.reason as Error)?.message ?? r.reason));
    return {
      wallMs,
      requests: stats.requests.total,
      rateLimited: stats.rateLimited.requests + stats.rateLimited.tokens,
      faulted: stats.faults.rateLimit,
      tokensCounted: stats.rateLimited.counted,
      failed: errors.length,
      firstError: errors[0],
    };
  } finally {
    await server.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The limit-bound ideal of a run: requests / RPM or tokens counted / TPM, whichever binds, plus one latency (bucket model). */
export function bucketIdealMs(o: BenchOptions, tokensCounted: number): { ms: number; bound: 'RPM' | 'TPM' } {
  const byRequests = (o.requests / o.rpm) * 60_000;
  const byTokens = o.tpm ? (tokensCounted / o.tpm) * 60_000 : 0;
  return byTokens > byRequests ? { ms: byTokens + o.latencyMs, bound: 'TPM' } : { ms: byRequests + o.latencyMs, bound: 'RPM' };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '300' },
      'latency-ms': { type: 'string', default: '200' },
      rpm: { type: 'string', default: '600' },
      tpm: { type: 'string' },
      'bucket-ms': { type: 'string', default: '1000' },
      'quantum-ms': { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: 'auto' },
      'max-retries': { type: 'string' },
      'fault-429': { type: 'string' },
      'fault-retry-after-ms': { type: 'string' },
      'retry-after': { type: 'string' },
      runs: { type: 'string', default: '3' },
      providers: { type: 'string', default: '1' },
      target: { type: 'string', default: '1.2' },
    },
  });
  const o: BenchOptions = {
    requests: Number(values.requests),
    latencyMs: Number(values['latency-ms']),
    rpm: Number(values.rpm),
    tpm: values.tpm === undefined ? undefined : Number(values.tpm),
    bucketMs: Number(values['bucket-ms']),
    quantumMs: Number(values['quantum-ms']),
    concurrency: values.concurrency === 'auto' ? 'auto' : Number(values.concurrency),
    maxRetries: values['max-retries'] === undefined ? undefined : Number(values['max-retries']),
    fault429: values['fault-429'] === undefined ? undefined : Number(values['fault-429']),
    faultRetryAfterMs: values['fault-retry-after-ms'] === undefined ? undefined : Number(values['fault-retry-after-ms']),
    retryAfter: values['retry-after'] as BenchOptions['retryAfter'],
    providers: Number(values.providers),
  };
  const target = Number(values.target);
  const model = o.bucketMs ? `buckets of ${o.bucketMs} ms` : `sliding minute, enforced per ${o.quantumMs} ms`;
  console.log(
    `${o.requests} requests, ${o.latencyMs} ms latency, ${o.rpm} RPM${o.tpm ? `, ${o.tpm} TPM` : ''} (${model})${o.fault429 ? `, ${o.fault429 * 100}% injected 429s (retry-after ${o.faultRetryAfterMs ?? 1000} ms)` : ''}${o.retryAfter ? `, limiter retry hints: ${o.retryAfter}` : ''}; ` +
      `generator.concurrency ${o.concurrency}, maxRetries ${o.maxRetries ?? 'default'}${(o.providers ?? 1) > 1 ? `, ${o.providers} providers sharing the endpoint and cache dir` : ''}`,
  );
  const runs: (RunResult & { idealMs: number; bound: string })[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    const r = await runOnce(o);
    const ideal = o.bucketMs ? bucketIdealMs(o, r.tokensCounted) : { ms: idealMs(o), bound: 'RPM' as const };
    runs.push({ ...r, idealMs: ideal.ms, bound: ideal.bound });
    const throughput = (o.requests / r.wallMs) * 60_000;
    console.log(
      `run ${i + 1}: ${(r.wallMs / 1000).toFixed(2)} s = ${(r.wallMs / ideal.ms).toFixed(3)}x the ${ideal.bound}-bound ideal ${(ideal.ms / 1000).toFixed(2)} s; ${throughput.toFixed(0)} requests/min; ` +
        `${r.requests} HTTP requests, ${r.rateLimited} answered 429 by the limit (${((100 * r.rateLimited) / r.requests).toFixed(2)}%), ${r.faulted} injected 429s, ${r.tokensCounted} tokens counted, ${r.failed} lost` +
        `${r.firstError ? ` (${r.firstError.split('\n')[0].slice(0, 200)})` : ''}`,
    );
  }
  const ratios = runs.map((r) => r.wallMs / r.idealMs);
  const ratio = median(ratios);
  const wall = median(runs.map((r) => r.wallMs));
  const lost = runs.some((r) => r.failed);
  const share429 = median(runs.map((r) => r.rateLimited / r.requests));
  console.log(
    `median: ${(wall / 1000).toFixed(2)} s, ${((o.requests / wall) * 60_000).toFixed(0)} requests/min, ${ratio.toFixed(3)}x the ideal, ${(share429 * 100).toFixed(2)}% answered 429 by the limit ` +
      `(target <= ${target}x, < 2% 429s, every request answered): ${ratio <= target && share429 < 0.02 && !lost ? 'MET' : `MISSED${lost ? ' (requests lost)' : ''}`}`,
  );
  if (lost) process.exitCode = 1;
}

if (require.main === module || process.env.FORGE_BENCH_MAIN === '1') {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
