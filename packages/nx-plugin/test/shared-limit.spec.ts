// Datasets that share a model endpoint share its concurrency limit: `nx run-many` builds three
// datasets in parallel processes, each allowed `generator.concurrency: 2`, and the endpoint never
// sees more than 2 requests at once (the slots are taken across processes).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../../tools/openai-test-server/src';
import { createTempWorkspace, type TempWorkspace } from './temp-workspace';

const DATASETS = ['weather-dataset', 'memory-dataset', 'filesystem-dataset'];
let ws: TempWorkspace;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ faults: { latencyMs: 120 } });
  ws = createTempWorkspace();
  for (const name of DATASETS) {
    const file = `datasets/${name}/forge.yaml`;
    const text = ws.read(file).replace(/^samples: \d+$/m, 'samples: 12');
    ws.write(file, `${text}\ngenerator:\n  concurrency: 2\n`);
  }
}, 120_000);

afterAll(async () => {
  ws?.cleanup();
  await server?.close();
});

it('nx run-many -t generate over three datasets never exceeds the shared endpoint limit', async () => {
  const r = await ws.nxAsync(['run-many', '-t', 'generate', '--parallel=3', '--output-style=static'], {
    env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'test-key' },
  });
  const text = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0) throw new Error(`nx run-many failed:\n${text.slice(0, 6000)}`);
  const requests = DATASETS.map((name) => JSON.parse(readFileSync(join(ws.root, 'dist/datasets', name, 'usage.json'), 'utf8')).usage.requests as number);
  // Every dataset really talked to the endpoint, and the three processes overlapped in time.
  for (const n of requests) expect(n).toBeGreaterThan(0);
  const stats = server.stats();
  expect(stats.requests.total).toBeGreaterThanOrEqual(requests.reduce((a, b) => a + b, 0));
  expect(stats.concurrency.peak).toBeGreaterThanOrEqual(2);
  expect(stats.concurrency.peak).toBeLessThanOrEqual(2);
});
