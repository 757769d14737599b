// `nx run weather-dataset:evaluate` end to end: a small offline build of the weather dataset, then the
// OpenAI-compatible test server in evaluation mode answers from the build's eval.truth.jsonl —
// perfectly for gpt-5-mini, with 30% of the turns broken in known ways for gpt-5-nano. The scores
// must be 100% and exactly what the server broke; a rerun makes zero requests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from 'openai-test-server';
import { createTempWorkspace, type TempWorkspace } from './temp-workspace';

let ws: TempWorkspace;
let server: TestServer;
let truth: { id: string; category: string; turns: unknown[] }[];

const DATASET = 'datasets/weather-dataset';
const out = (file: string) => join(ws.root, 'dist', 'datasets', 'weather-dataset', file);
const chatRequests = () => server.stats().requests.byEndpoint['POST /v1/chat/completions']?.total ?? 0;
const evalJson = () => JSON.parse(readFileSync(out('eval.json'), 'utf8'));

async function nx(args: string[]): Promise<string> {
  const r = await ws.nxAsync(args, { env: { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'x' } });
  const text = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`nx ${args.join(' ')} exited ${r.status}:\n${text.slice(-4000)}`);
  return text;
}

beforeAll(async () => {
  ws = createTempWorkspace({ datasets: ['weather-dataset'] });
  // The dataset's own 100 samples: an eval split of some 17 rows, enough for 30% of breaks to show in it.
  const yaml = ws.read(`${DATASET}/forge.yaml`);
  ws.write(`${DATASET}/forge.yaml`, `${yaml}generator:\n  provider: offline\n`);
  ws.git(['commit', '-qam', 'small offline build']);
  const built = ws.nx(['run', 'weather-dataset:synthesize']);
  if (built.status !== 0) throw new Error(`synthesize failed:\n${built.stdout}${built.stderr}`.slice(-4000));
  truth = readFileSync(out('eval.truth.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  server = await startTestServer({ eval: { rows: truth as never, broken: { 'gpt-5-nano': 0.3 }, seed: 3 } });
}, 240_000);

afterAll(async () => {
  await server?.close();
  ws?.cleanup();
});

describe('nx run weather-dataset:evaluate', () => {
  it('is inferred, cacheable, outside the build chain, hashed on the split and the endpoint', () => {
    const show = ws.nx(['show', 'project', 'weather-dataset', '--json']);
    const target = JSON.parse(show.stdout).targets.evaluate;
    expect(target.cache).toBe(true);
    expect(target.dependsOn ?? []).toEqual([]);
    expect(JSON.stringify(target.inputs)).toMatch(/eval-key\.js dist\/datasets\/weather-dataset\/eval\.truth\.jsonl/);
    expect(target.outputs).toEqual(expect.arrayContaining(['{workspaceRoot}/dist/datasets/weather-dataset/eval.json']));
  });

  it('scores a model that answers with the truth at 100% in every category', async () => {
    const scored = truth.filter((r) => r.turns.length > 0);
    await nx(['run', 'weather-dataset:evaluate', '--model', 'gpt-5-mini']);
    const report = evalJson();
    expect(report.models).toHaveLength(1);
    const m = report.models[0];
    expect([m.model, m.overall.correct, m.overall.count]).toEqual(['gpt-5-mini', scored.length, scored.length]);
    expect(Object.keys(m.categories).length).toBeGreaterThanOrEqual(3);
    for (const s of Object.values(m.categories) as { accuracy: number }[]) expect(s.accuracy).toBe(1);
    expect(readFileSync(out('eval.md'), 'utf8')).toContain('| **overall** | **100.0%');
    expect(readFileSync(out('eval.html'), 'utf8')).toContain('<th>gpt-5-mini</th>');
  }, 120_000);

  it('scores 30% broken answers exactly as broken, side by side with the perfect model, then reruns with zero requests', async () => {
    await nx(['run', 'weather-dataset:evaluate', '--model', 'gpt-5-nano', '--compare', 'gpt-5-mini']);
    const report = evalJson();
    expect(report.models.map((m: { model: string }) => m.model)).toEqual(['gpt-5-nano', 'gpt-5-mini']);
    const [nano, mini] = report.models;
    const brokenRows = new Set(server.evalReport()!.broken.filter((b) => b.model === 'gpt-5-nano').map((b) => b.id));
    expect(brokenRows.size).toBeGreaterThan(0);
    const scored = truth.filter((r) => r.turns.length > 0);
    const expected: Record<string, [number, number]> = {};
    for (const r of scored) {
      const [ok, n] = expected[r.category] ?? [0, 0];
      expected[r.category] = [ok + (brokenRows.has(r.id) ? 0 : 1), n + 1];
    }
    const got = Object.fromEntries(Object.entries(nano.categories as Record<string, { correct: number; count: number }>).map(([c, s]) => [c, [s.correct, s.count]]));
    expect(got).toEqual(expected);
    expect(nano.overall.correct).toBe(scored.length - brokenRows.size);
    expect(mini.overall.accuracy).toBe(1);
    expect(mini.usage.requests).toBe(0);
    expect(readFileSync(out('eval.html'), 'utf8')).toContain('<th>gpt-5-nano</th><th>gpt-5-mini</th>');

    const before = chatRequests();
    await nx(['run', 'weather-dataset:evaluate', '--model', 'gpt-5-nano', '--compare', 'gpt-5-mini', '--skip-nx-cache']);
    expect(chatRequests()).toBe(before);
    expect(evalJson().models.map((m: { usage: { requests: number } }) => m.usage.requests)).toEqual([0, 0]);
    expect(evalJson().models[0].categories).toEqual(nano.categories);
    const cached = await nx(['run', 'weather-dataset:evaluate', '--model', 'gpt-5-nano', '--compare', 'gpt-5-mini']);
    expect(cached).toMatch(/local cache|existing outputs match the cache/);
    expect(chatRequests()).toBe(before);
  }, 180_000);
});
