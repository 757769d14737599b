// Wiring of one provider instance: the SDK client (no SDK retries: ours are in the transport), the
// endpoint limiter shared across processes, the request cache, the usage meter, and in batch mode
// the batch queue. The API key comes from the environment only and goes nowhere but the SDK.
// Environment: OPENAI_API_KEY, OPENAI_BASE_URL (generator.baseURL wins), FORGE_CACHE_DIR (default
// <root>/.forge/cache), FORGE_BATCH_POLL_MS (first poll interval, default 5000, grows to 12x while a
// batch shows no progress), FORGE_BATCH_COLLECT_MS (quiet time before a batch is cut, default 2000).
import { setMaxListeners } from 'node:events';
import OpenAI from 'openai';
import type { ProviderOptions } from '../index';
import { ForgeError } from '../../errors';
import { EndpointLimiter, SlotLocks, concurrencyCap, endpointLockDir } from '../limiter';
import { RequestCache, cacheDirFor } from '../request-cache';
import { ChatGateway } from './chat-gateway';
import { Transport } from './transport';
import { UsageMeter } from './usage-meter';
import { BatchApi } from './batch/batch-api';
import { BatchQueue } from './batch/batch-queue';
import { BatchState, batchStatePath } from './batch/batch-state';
import { BatchRoom } from './batch/batch-room';

export const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

export interface Client {
  baseURL: string;
  gateway: ChatGateway;
  meter: UsageMeter;
  transport: Transport;
  cache: RequestCache;
  /** Batch mode: the queue (its `report` lists the rounds). */
  batch?: BatchQueue;
  close(): void;
}

function envMs(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = Number(env[name]);
  return env[name] !== undefined && Number.isFinite(v) && v >= 0 ? v : fallback;
}

export function buildClient(opts: ProviderOptions, log: (msg: string) => void): Client {
  const { cfg, env } = opts;
  const gen = cfg.generator;
  const configuredURL = gen.baseURL ?? env.OPENAI_BASE_URL;
  const baseURL = (configuredURL || DEFAULT_BASE_URL).replace(/\/+$/, '');
  const apiKey = env.OPENAI_API_KEY || (configuredURL ? 'unused' : undefined);
  // Without a key the provider still works from the request cache (and for --dry-run); the first
  // request that would go over the network fails with this message.
  const missingKey = apiKey
    ? undefined
    : new ForgeError('LLM', 'The openai provider needs OPENAI_API_KEY (or OPENAI_BASE_URL for a compatible server).', 'Set OPENAI_API_KEY in the environment, or use generator.provider: offline.');
  const sdk = new OpenAI({ apiKey: apiKey ?? 'missing', baseURL, maxRetries: 0, timeout: gen.timeoutMs });
  const cacheDir = cacheDirFor(opts.root, env);
  const abort = new AbortController();
  // Every request and every wait listens to this one signal (hundreds at once in batch mode).
  setMaxListeners(0, abort.signal);
  const limit = concurrencyCap(gen.concurrency);
  const limiter = new EndpointLimiter(limit, new SlotLocks(endpointLockDir(cacheDir, baseURL), limit, { staleMs: Math.max(60_000, gen.timeoutMs + 10_000) }));
  const transport = new Transport({ client: sdk, baseURL, apiKey: env.OPENAI_API_KEY, limiter, maxRetries: gen.maxRetries, signal: abort.signal, missingKey });
  const cache = new RequestCache(cacheDir);
  const meter = new UsageMeter({ pricing: cfg.budget.pricing, maxUsd: cfg.budget.maxUsd, spentBefore: opts.spentUsd ?? 0 });
  let batch: BatchQueue | undefined;
  if (gen.batch) {
    const api = new BatchApi({ transport, dataset: opts.dataset, stage: opts.stage, pollMs: envMs(env, 'FORGE_BATCH_POLL_MS', 5000), log, signal: abort.signal });
    const state = new BatchState(batchStatePath(cacheDir, opts.dataset, opts.stage), opts.dataset, opts.stage);
    const collectMs = envMs(env, 'FORGE_BATCH_COLLECT_MS', 2000);
    // Rounds shared with the other builds on this endpoint and cache dir (nx run-many): batch-room.ts.
    const room = new BatchRoom({ cacheDir, baseURL, member: `${opts.dataset}-${opts.stage}`, api, maxWaitMs: envMs(env, 'FORGE_BATCH_SHARE_WAIT_MS', Math.max(5000, 5 * collectMs)), log, signal: abort.signal });
    batch = new BatchQueue({ api, cache, state, collectMs, log, signal: abort.signal, room });
  }
  const gateway = new ChatGateway({ baseURL, cache, meter, transport, batch, dryRun: opts.dryRun });
  return {
    baseURL,
    gateway,
    meter,
    transport,
    cache,
    batch,
    close: () => abort.abort(new ForgeError('LLM', 'The provider was closed while requests were waiting.', 'Run the same command again: submitted batches are polled again, completed requests are cached.')),
  };
}
