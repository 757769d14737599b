// startTestServer: an OpenAI-compatible HTTP server (node:http) for tests and benchmarks.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchManager } from './batches';
import { ApiError, incorrectApiKey, invalidUrl, missingApiKey } from './errors';
import { mergeFaults, NO_FAULTS, type Faults } from './faults';
import { FileStore } from './files';
import { readBody, writeReply } from './http';
import { newRequestId } from './ids';
import { PromptCache } from './prompt-cache';
import { RateLimiter, type Limits } from './rate-limit';
import type { Route, RouteContext } from './routes';
import { batchRoutes } from './routes-batches';
import { chatRoutes, runBatchLine } from './routes-chat';
import { controlRoutes } from './routes-control';
import { fileRoutes } from './routes-files';
import type { Reply, ServerState } from './server-state';
import { StatsCollector, type ServerStats } from './stats';
import { EvalOracle, type EvalOracleConfig, type BrokenTurn } from './eval-oracle';

export interface TestServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** When set, only this bearer key is accepted (others get 401 invalid_api_key); otherwise any non-empty key. */
  apiKey?: string;
  faults?: Partial<Faults>;
  /** Requests per window (sliding window); unlimited by default. */
  rpm?: number;
  /** Estimated tokens per window; unlimited by default. */
  tpm?: number;
  /** Rate-limit window, ms (default 60 000). */
  rateWindowMs?: number;
  /** Also enforce rpm/tpm scaled to this shorter period (e.g. 1000: rpm 600 = at most 10 in any second). */
  rateQuantumMs?: number;
  /** OpenAI-style token buckets instead of the sliding window: each holds this many ms of its limit (1000 = one second's share). */
  rateBucketMs?: number;
  /** Retry hints on the limiter's 429s: `ms` retry-after-ms and retry-after (default), `seconds` retry-after only (whole seconds), `none`. */
  retryAfter?: 'ms' | 'seconds' | 'none';
  /** Ms between batch steps (default 20); 0 = batches advance only through stepBatches(). */
  batchStepMs?: number;
  /** Batch lines run per step (default: a third of the batch, at most 500). */
  batchLinesPerStep?: number;
  /** Batches not finished this long after creation expire (default 24 h). */
  batchCompletionWindowMs?: number;
  /** Largest accepted request body (default 256 MB, above the 200 MB batch file limit). */
  maxBodyBytes?: number;
  /** Clock in ms (default Date.now). */
  now?: () => number;
  /**
   * Called after every counted /v1 request with its route, status and raw body, so a test can see
   * which requests a build made (e.g. which tools they mention, or hashes of bodies that succeeded).
   */
  onRequest?: (request: RecordedRequest) => void;
  /** Evaluation mode from the start (see setEval). */
  eval?: EvalOracleConfig;
}

export interface RecordedRequest {
  /** Route, e.g. `POST /v1/chat/completions`. */
  endpoint: string;
  /** The path requested, e.g. `/v1/batches/batch_abc`. */
  path: string;
  status: number;
  /** The request body as sent (empty for bodiless requests). */
  body: Buffer;
}

export interface TestServer {
  /** Base URL for the SDK, e.g. http://127.0.0.1:PORT/v1 */
  url: string;
  port: number;
  close(): Promise<void>;
  stats(): ServerStats;
  resetStats(): void;
  /** Merges into the current faults and restarts the fault sequence. */
  setFaults(faults: Partial<Faults>): void;
  /** Back to no faults. */
  clearFaults(): void;
  faults(): Faults;
  setLimits(limits: Partial<Limits>): void;
  limits(): Limits;
  /** Advances every unfinished batch by `times` steps. */
  stepBatches(times?: number): void;
  resetPromptCache(): void;
  /** Answers requests whose conversation is in the truth rows from them (null: back to normal replies). */
  setEval(config: EvalOracleConfig | null): void;
  /** Scored turns loaded, requests answered from the truth, and the turns broken on purpose. */
  evalReport(): { turns: number; answered: number; broken: BrokenTurn[] } | null;
}

/** A 500 that names the failure, for errors in this server itself. */
function bugBody(err: unknown) {
  return { error: { message: `Test server bug: ${(err as Error).message}`, type: 'server_error', param: null, code: null } };
}

function checkAuth(req: IncomingMessage, apiKey: string | undefined): void {
  const header = req.headers.authorization;
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m || !m[1].trim()) throw missingApiKey();
  if (apiKey !== undefined && m[1].trim() !== apiKey) throw incorrectApiKey();
}

function checkLimits(l: Partial<Limits>): Partial<Limits> {
  for (const [k, v] of Object.entries(l)) {
    if (!['rpm', 'tpm', 'windowMs', 'quantumMs', 'bucketMs'].includes(k)) throw new Error(`Unknown limit '${k}'. Known limits: rpm, tpm, windowMs, quantumMs, bucketMs.`);
    if (v !== undefined && v !== null && !(typeof v === 'number' && v > 0)) throw new Error(`Limit '${k}' must be a number > 0 (or null for unlimited), got ${JSON.stringify(v)}.`);
  }
  const out = Object.fromEntries(Object.entries(l).map(([k, v]) => [k, v === null ? undefined : v])) as Partial<Limits>;
  if (out.windowMs === undefined) delete out.windowMs; // the window always has a length
  return out;
}

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const now = opts.now ?? Date.now;
  const stats = new StatsCollector();
  const files = new FileStore(now);
  const state = {
    faults: mergeFaults(NO_FAULTS, opts.faults ?? {}),
    faultCounter: 0,
    limiter: new RateLimiter({ rpm: opts.rpm, tpm: opts.tpm, windowMs: opts.rateWindowMs ?? 60_000, quantumMs: opts.rateQuantumMs, bucketMs: opts.rateBucketMs }),
    retryAfter: opts.retryAfter ?? 'ms',
    stats,
    promptCache: new PromptCache(),
    files,
    serial: 0,
    apiKey: opts.apiKey,
    maxBodyBytes: opts.maxBodyBytes ?? 256 * 1024 * 1024,
    now,
    evalOracle: opts.eval ? new EvalOracle(opts.eval) : undefined,
  } as Omit<ServerState, 'batches'> as ServerState;
  state.batches = new BatchManager(
    files,
    (endpoint, body, key) => ({ ...runBatchLine(state, endpoint, body, key), requestId: newRequestId() }),
    stats,
    now,
    { stepMs: opts.batchStepMs ?? 20, linesPerStep: opts.batchLinesPerStep, completionWindowMs: opts.batchCompletionWindowMs ?? 24 * 3600 * 1000 },
  );

  let routes: Route[] = [...chatRoutes, ...fileRoutes, ...batchRoutes];
  // Unref'd so a test that closes the server mid-delay does not keep the process alive.
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const requestId = newRequestId();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const control = path.startsWith('/_');
    let bodyPromise: Promise<Buffer> | undefined;
    let route: Route | undefined;
    let params: string[] = [];
    for (const r of routes) {
      const m = r.method === req.method ? r.pattern.exec(path) : null;
      if (m) [route, params] = [r, m.slice(1)];
      if (m) break;
    }
    const ctx: RouteContext = { state, req, url, params, requestId, body: () => (bodyPromise ??= readBody(req, state.maxBodyBytes)) };
    if (!control) stats.enter();
    let reply: Reply = { status: 500 };
    try {
      try {
        if (!route) throw invalidUrl(req.method ?? 'GET', path);
        if (!control) checkAuth(req, state.apiKey);
        reply = await route.handle(ctx);
      } catch (err) {
        reply = err instanceof ApiError ? { status: err.status, body: err.body(), headers: err.headers } : { status: 500, body: bugBody(err) };
      }
      if (!control && state.faults.latencyMs > 0) await sleep(state.faults.latencyMs);
      await bodyPromise?.catch(() => undefined);
      writeReply(res, reply, {
        'x-request-id': requestId,
        'openai-version': '2020-10-01',
        'openai-organization': 'org-test',
        'openai-processing-ms': String(Date.now() - started),
      });
    } finally {
      if (!control) {
        stats.leave();
        const endpoint = route?.endpoint ?? `${req.method} ${path}`;
        stats.recordRequest(endpoint, reply.status, reply.model);
        if (opts.onRequest) {
          const body = (await bodyPromise?.catch(() => undefined)) ?? Buffer.alloc(0);
          opts.onRequest({ endpoint, path, status: reply.status, body });
        }
      }
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify(bugBody(err)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const api: TestServer = {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}/v1`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        state.batches.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    setFaults: (f) => {
      state.faults = mergeFaults(state.faults, f);
      state.faultCounter = 0;
    },
    clearFaults: () => {
      state.faults = { ...NO_FAULTS };
      state.faultCounter = 0;
    },
    faults: () => ({ ...state.faults }),
    setLimits: (l) => {
      state.limiter.limits = { ...state.limiter.limits, ...checkLimits(l) };
    },
    limits: () => ({ ...state.limiter.limits }),
    stepBatches: (times = 1) => {
      for (let i = 0; i < times; i++) state.batches.step();
    },
    resetPromptCache: () => state.promptCache.clear(),
    setEval: (config) => {
      state.evalOracle = config ? new EvalOracle(config) : undefined;
    },
    evalReport: () => state.evalOracle?.report() ?? null,
  };
  routes = [...controlRoutes(api), ...routes];
  return api;
}
