// Kill and resume: `mcp-forge generate` (the whole pipeline, a real process) is killed with SIGKILL at
// seeded random moments, with synchronous requests and with a Batch API job in flight, and run again.
// After every kill no finished artifact is truncated (temp files may be left: half-written ones are
// planted too, and never read); every re-run completes, sends none of the requests whose answers were
// already cached, creates no second batch for a request, polls the batch it was waiting for, and ends
// byte-identical to an uninterrupted build.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../../../tools/openai-test-server/src';
import { RequestCache, requestKey } from '../../src/llm/request-cache';
import { brokenArtifacts, isTempFile, listFiles } from './helpers/artifacts';
import { runCli, spawnCli } from './helpers/processes';
import { startRecordingProxy, type RecordingProxy } from './helpers/recording-proxy';
import { weatherServer, workspace, type Workspace } from './helpers/workspace';

const SYNC_TRIALS = 6;
const BATCH_TRIALS = 4;
const DATA_FILES = ['tools.lock.json', 'plan.json', 'seeds.jsonl', 'generate.rejected.jsonl', 'augmented.jsonl', 'accepted.jsonl', 'rejected.jsonl', 'train.jsonl', 'eval.jsonl', 'hermes/train.jsonl', 'hermes/eval.jsonl'];
const BUILD = 'samples: 4\naugmentation: { factor: 2 }\nthresholds: { scenarioTolerance: 1, minSamplesPerTool: 0 }\n';

/** mulberry32: the kill moments are random but the same on every run of the suite (seed below). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(Number(process.env.FORGE_KILL_SEED ?? 20261125));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

let server: TestServer;
let proxy: RecordingProxy;
let stepping = true;
let stepper: NodeJS.Timeout;
const made: Workspace[] = [];
const figures: string[] = [];

beforeAll(async () => {
  // A little latency spreads the requests out, so that kills land with requests in flight.
  server = await startTestServer({ batchStepMs: 0, faults: { latencyMs: 10 } });
  proxy = await startRecordingProxy(server.url);
  stepper = setInterval(() => stepping && server.stepBatches(1), 15);
});
afterAll(async () => {
  clearInterval(stepper);
  await proxy.close();
  await server.close();
  for (const ws of made) ws.cleanup();
  console.log(`kill-resume figures (seed ${process.env.FORGE_KILL_SEED ?? 20261125}):\n${figures.join('\n')}`);
});

const keyOf = (body: unknown) => requestKey({ provider: 'openai', baseURL: proxy.url, body });

function build(batch: boolean): { ws: Workspace; args: string[]; opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number } } {
  const ws = workspace(`${weatherServer()}${BUILD}generator: { provider: openai, concurrency: 4, batch: ${batch} }\n`);
  made.push(ws);
  const env = { OPENAI_BASE_URL: proxy.url, OPENAI_API_KEY: 'sk-test-kill-0000', FORGE_CACHE_DIR: ws.cache, FORGE_BATCH_POLL_MS: '30', FORGE_BATCH_COLLECT_MS: '30' };
  return { ws, args: ['generate', '--config', 'datasets/ds/forge.yaml', '--out', 'out'], opts: { cwd: ws.root, env, timeoutMs: 90_000 } };
}

async function complete(b: ReturnType<typeof build>): Promise<void> {
  const r = await runCli(b.args, b.opts);
  if (r.code !== 0) throw new Error(`build failed (${r.code ?? r.signal}):\n${r.stderr.slice(-2000)}`);
}

const chatSince = (from: number) => proxy.chatBodies(from).map(keyOf);
const data = (ws: Workspace) => Object.fromEntries(DATA_FILES.map((f) => [f, readFileSync(join(ws.root, 'out', f), 'utf8')]));

/** Temp files the kill left, plus two planted half-written ones: the re-run must read none of them. */
function leftovers(ws: Workspace): number {
  const out = join(ws.root, 'out');
  const left = listFiles(out).filter(isTempFile).length;
  writeFileSync(join(out, 'seeds.jsonl.tmp-1-0'), '{"id": "half-writ');
  writeFileSync(join(out, 'augmented.jsonl.tmp-1-1'), '{"id": "not a row"}\n{"id": ');
  return left;
}

interface BatchInfo {
  id: string;
  status: string;
  customIds: string[];
}

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${server.url}${path}`, { headers: { authorization: 'Bearer sk-test-kill-0000' } });
  return (path.includes('/content') ? res.text() : res.json()) as Promise<T>;
}

/** Every batch the server holds, with the custom_ids of its input file. */
async function batches(): Promise<BatchInfo[]> {
  const out: BatchInfo[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await api<{ data: { id: string; status: string; input_file_id: string }[]; has_more: boolean }>(`/batches?limit=100${after ? `&after=${after}` : ''}`);
    for (const b of page.data) {
      const text = await api<string>(`/files/${b.input_file_id}/content`);
      out.push({ id: b.id, status: b.status, customIds: text.split('\n').filter(Boolean).map((l) => JSON.parse(l).custom_id) });
    }
    if (!page.has_more || !page.data.length) return out;
    after = page.data[page.data.length - 1].id;
  }
}

describe('kill -9 at random moments, then run again', () => {
  let reference: Record<string, string>;
  let referenceKeys: string[];

  beforeAll(async () => {
    const b = build(false);
    const from = proxy.requests.length;
    await complete(b);
    reference = data(b.ws);
    referenceKeys = chatSince(from);
    // The proxy computes the same request keys as the client: every one of them is in the cache.
    const cache = new RequestCache(b.ws.cache);
    for (const k of referenceKeys) expect(await cache.has(k)).toBe(true);
    expect(new Set(referenceKeys).size).toBe(referenceKeys.length);
    figures.push(`uninterrupted sync build: ${referenceKeys.length} chat requests`);
  }, 120_000);

  for (let trial = 1; trial <= SYNC_TRIALS; trial++) {
    it(`K${String(trial).padStart(2, '0')} synchronous requests: killed after a random number of requests`, async () => {
      const b = build(false);
      const killAt = 1 + Math.floor(random() * (referenceKeys.length - 1));
      const from = proxy.requests.length;
      const run = spawnCli(b.args, b.opts);
      let exited = false;
      void run.done.then(() => (exited = true));
      await until(() => exited || chatSince(from).length >= killAt, `request ${killAt}`);
      await sleep(random() * 40);
      run.child.kill('SIGKILL');
      const killed = await run.done;
      expect(killed.signal).toBe('SIGKILL');

      expect(brokenArtifacts(join(b.ws.root, 'out'))).toEqual([]);
      const sent = chatSince(from);
      const cache = new RequestCache(b.ws.cache);
      const cached = new Set<string>();
      for (const k of sent) if (await cache.has(k)) cached.add(k);

      const temps = leftovers(b.ws);
      const mid = proxy.requests.length;
      await complete(b);
      const again = chatSince(mid);
      expect(again.filter((k) => cached.has(k))).toEqual([]); // no completed request repeated
      expect(new Set(again).size).toBe(again.length);
      expect(new Set([...cached, ...again])).toEqual(new Set(referenceKeys));
      expect(data(b.ws)).toEqual(reference);
      const inFlight = sent.filter((k) => !cached.has(k)).length;
      figures.push(`K${trial} sync: killed after ${killAt}/${referenceKeys.length} requests (${sent.length} sent, ${cached.size} cached, ${inFlight} in flight); re-run sent ${again.length}; ${listFiles(join(b.ws.root, 'out')).length} files checked, ${temps} temp files left by the kill`);
    }, 120_000);
  }

  describe('with a Batch API job in flight', () => {
    let batchReference: BatchInfo[];

    beforeAll(async () => {
      const before = new Set((await batches()).map((b) => b.id));
      const b = build(true);
      const from = proxy.requests.length;
      await complete(b);
      batchReference = (await batches()).filter((x) => !before.has(x.id));
      // Batch mode sends exactly the requests of a synchronous build, and ends in the same outputs.
      expect(chatSince(from)).toEqual([]);
      expect(batchReference.flatMap((x) => x.customIds).sort()).toEqual([...referenceKeys].sort());
      expect(data(b.ws)).toEqual(reference);
      figures.push(`uninterrupted batch build: ${batchReference.length} batches, ${referenceKeys.length} lines`);
    }, 120_000);

    for (let trial = 1; trial <= BATCH_TRIALS; trial++) {
      const id = `K${String(SYNC_TRIALS + trial).padStart(2, '0')}`;
      it(`${id} batch mode: killed while a batch is in progress`, async () => {
        const before = new Set((await batches()).map((x) => x.id));
        const b = build(true);
        const killAfter = 1 + Math.floor(random() * batchReference.length);
        const created = () => server.stats().batches.created;
        const start = created();
        stepping = true;
        const from = proxy.requests.length;
        const run = spawnCli(b.args, b.opts);
        try {
          await until(() => created() - start >= killAfter, `batch ${killAfter}`);
          stepping = false; // the batch just created cannot finish now
          await sleep(random() * 150);
          run.child.kill('SIGKILL');
          expect((await run.done).signal).toBe('SIGKILL');
        } finally {
          stepping = true;
        }
        expect(brokenArtifacts(join(b.ws.root, 'out'))).toEqual([]);
        expect(brokenArtifacts(join(b.ws.cache, 'batches'))).toEqual([]);
        const open = (await batches()).filter((x) => !before.has(x.id) && !['completed', 'failed', 'expired', 'cancelled'].includes(x.status));
        expect(open.length).toBeGreaterThan(0);

        const temps = leftovers(b.ws);
        const mid = proxy.requests.length;
        await complete(b);
        const mine = (await batches()).filter((x) => !before.has(x.id));
        const ids = mine.flatMap((x) => x.customIds);
        expect(ids.length - new Set(ids).size).toBe(0); // no request in two batches
        expect([...ids].sort()).toEqual([...referenceKeys].sort()); // each request run exactly once
        expect(chatSince(from)).toEqual([]);
        const polled = new Set(proxy.requests.slice(mid).filter((r) => r.method === 'GET').map((r) => r.path.replace(/^\/v1/, '')));
        for (const x of open) expect(polled).toContain(`/batches/${x.id}`); // polled again, not resubmitted
        expect(data(b.ws)).toEqual(reference);
        figures.push(`${id} batch: killed after batch ${killAfter}/${batchReference.length} was created (${open.length} in flight); ${mine.length} batches in all, ${ids.length} lines, ${temps} temp files left by the kill`);
      }, 120_000);
    }
  });
});
