// Truth extraction per scenario, and whole evaluations against the OpenAI-compatible test server in
// evaluation mode: answers echo the truth (100%), or a known share is broken in known ways (the
// scores must be exactly what the server broke), a rerun is served from the request cache, and a
// model that writes `<tool_call>` blocks in text is read as well as native tool_calls.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../../../../tools/openai-test-server/src';
import { SAMPLES, TOOLS } from '../formats/__fixtures__/samples';
import type { Sample } from '../types';
import { bufferLogger } from '../util/log';
import { writeJsonl } from '../util/files';
import { runEvaluate } from './evaluate';
import { truthRow } from './truth';
import { readTruth } from './input';
import { toOpenAI } from '../formats/openai';
import { toHermes } from '../formats/hermes';
import type { TruthRow } from './types';

describe('truth rows', () => {
  const t = (s: Sample) => truthRow(s, TOOLS);

  it('expects the first turn calls for standard, error, edge and parallel rows', () => {
    expect(t(SAMPLES.standard).turns).toEqual([{ at: 1, expect: 'calls', calls: [{ get_forecast: { city: ['Zürich "Altstadt"'], days: ['', null], units: ['metric'] } }] }]);
    expect(t(SAMPLES.error).turns).toEqual([{ at: 1, expect: 'calls', calls: [{ get_forecast: { city: ['Atlantis'] } }] }]);
    expect(t(SAMPLES.edge).turns.map((x) => x.calls.map((c) => Object.keys(c)[0]))).toEqual([['list_alerts', 'server.ping']]);
    const parallel = t(SAMPLES.parallel).turns;
    expect(parallel).toHaveLength(1);
    expect(parallel[0].calls[1]).toEqual({ plot_series: { points: [[[1, 2], [3, 4.5]]], labels: [['a', ['b', 'c']]], style: [{ color: ['</tool_call>'] }] } });
  });

  it('expects no call for no_tool, a clarifying question for ambiguous, and every decision of a multi-turn row', () => {
    expect(t(SAMPLES.no_tool).turns).toEqual([{ at: 1, expect: 'no_call', calls: [] }]);
    expect(t(SAMPLES.ambiguous).turns).toEqual([{ at: 1, expect: 'clarify', calls: [] }]);
    const continued: Sample = { ...SAMPLES.ambiguous, messages: [...SAMPLES.ambiguous.messages, { role: 'user', content: 'Oslo' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c', name: 'get_forecast', arguments: { city: 'Oslo' } }] }] };
    expect(t(continued).turns.map((x) => [x.at, x.expect])).toEqual([
      [1, 'clarify'],
      [3, 'calls'],
    ]);
    // The final answer after the tool result (index 6) is not scored.
    expect(t(SAMPLES.multi_turn).turns.map((x) => [x.at, x.expect])).toEqual([
      [2, 'no_call'],
      [4, 'calls'],
      [8, 'no_call'],
    ]);
    expect(t({ ...SAMPLES.multi_turn, scenario: 'sequential' as never }).turns).toHaveLength(3);
  });

  it('offers the row’s own tools and lets a parameter at its default be omitted', () => {
    expect(t({ ...SAMPLES.error, tools: ['get_forecast'] }).functions.map((f) => f.name)).toEqual(['get_forecast']);
    const tools = [{ ...TOOLS[0], inputSchema: { type: 'object', properties: { city: { type: 'string' }, units: { type: 'string', default: 'metric' }, days: { type: 'integer', default: 1 } }, required: ['city'] } }];
    const row = truthRow({ ...SAMPLES.error, tools: ['get_forecast'], messages: [SAMPLES.error.messages[0], { role: 'assistant', content: null, tool_calls: [{ id: 'c', name: 'get_forecast', arguments: { city: 'Rome', units: 'metric' } }] }] }, tools);
    expect(row.turns[0].calls).toEqual([{ get_forecast: { city: ['Rome'], units: ['metric', ''], days: [1, ''] } }]);
  });
});

describe('readTruth', () => {
  it('derives the truth from an eval split in a training format, with the tools each row carries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forge-truth-'));
    try {
      for (const [name, render] of [['openai', toOpenAI], ['hermes', toHermes]] as const) {
        const file = join(dir, `${name}.jsonl`);
        writeJsonl(file, [SAMPLES.standard, SAMPLES.parallel, SAMPLES.no_tool].map((s) => render(s, TOOLS)));
        const { rows } = await readTruth(file, { root: dir, env: {} });
        expect(rows.map((r) => r.turns.map((t) => t.calls.map((c) => Object.keys(c)[0])))).toEqual([[['get_forecast']], [['get_forecast', 'plot_series']], [[]]]);
        expect(rows[0].functions.map((f) => f.name)).toEqual(TOOLS.map((t) => t.name));
      }
      await expect(readTruth(dir, { root: dir, env: {} })).rejects.toThrow(/no eval.truth.jsonl and no forge.yaml/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** `copies` distinct conversations per fixture sample (the user turns are numbered). */
function truthRows(copies: number): TruthRow[] {
  const rows: TruthRow[] = [];
  for (let k = 0; k < copies; k++) {
    for (const s of Object.values(SAMPLES)) {
      const messages = s.messages.map((m) => (m.role === 'user' ? { ...m, content: `${m.content} [${k}]` } : m));
      rows.push(truthRow({ ...s, id: `${s.id}-${k}`, messages }, TOOLS));
    }
  }
  return rows;
}

describe('evaluate against the test server', () => {
  let server: TestServer;
  let dir: string;
  let truthFile: string;
  const rows = truthRows(20);
  // One row per fixture sample and copy; one request per assistant turn under test.
  const turns = rows.reduce((n, r) => n + r.turns.length, 0);
  const env = () => ({ OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-test', FORGE_CACHE_DIR: join(dir, 'cache') });
  const run = (models: string[]) => runEvaluate({ input: truthFile, models, env: env(), root: dir, log: bufferLogger(), concurrency: 8, maxRetries: 0 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'forge-eval-'));
    truthFile = join(dir, 'eval.truth.jsonl');
    writeJsonl(truthFile, rows);
    server = await startTestServer({ eval: { rows, broken: { 'gpt-5-nano': 0.3 }, textModels: ['gpt-4.1-mini'], seed: 7 } });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scores a model that answers with the truth at 100% in every category, and the files say so', async () => {
    const { report, files } = await run(['gpt-5-mini']);
    const m = report.models[0];
    expect(m.overall).toEqual({ correct: rows.length, count: rows.length, accuracy: 1, ci95: [expect.any(Number), 1] });
    expect(Object.keys(m.categories).sort()).toEqual([...new Set(rows.map((r) => r.category))].sort());
    for (const s of Object.values(m.categories)) expect(s.accuracy).toBe(1);
    expect(m.usage.requests).toBe(turns);
    for (const f of Object.values(files)) expect(existsSync(f)).toBe(true);
    expect(JSON.parse(readFileSync(files.json, 'utf8')).models[0].overall.correct).toBe(rows.length);
  });

  it('scores a model with 30% of its turns broken exactly as the server broke them, with the right reasons', async () => {
    const { report } = await run(['gpt-5-nano']);
    const m = report.models[0];
    const broken = server.evalReport()!.broken.filter((b) => b.model === 'gpt-5-nano');
    // About 30% of the turns under test.
    expect(broken.length).toBeGreaterThan(turns * 0.15);
    expect(broken.length).toBeLessThan(turns * 0.45);
    const brokenRows = new Set(broken.map((b) => b.id));
    for (const [category, s] of Object.entries(m.categories)) {
      const count = rows.filter((r) => r.category === category).length;
      const bad = rows.filter((r) => r.category === category && brokenRows.has(r.id)).length;
      expect([category, s.correct, s.count]).toEqual([category, count - bad, count]);
    }
    expect(m.overall.correct).toBe(rows.length - brokenRows.size);
    const expectedReason: Record<string, RegExp> = {
      wrong_function: /^wrong_function$/,
      missing_param: /^missing_param:/,
      wrong_value: /^(value|type)_mismatch:/,
      extra_param: /^unexpected_param:unexpected_extra$/,
      call_on_irrelevance: /^unexpected_call$/,
    };
    for (const b of broken) {
      const row = m.rows.find((r) => r.id === b.id)!;
      const turn = row.turns.find((t) => t.at === b.at)!;
      expect(turn.verdict.valid).toBe(false);
      if (turn.calls.length <= 1) expect([b.kind, turn.verdict.reasons[0]]).toEqual([b.kind, expect.stringMatching(expectedReason[b.kind])]);
    }
    expect(new Set(broken.map((b) => b.kind)).size).toBe(5);
  });

  it('makes zero requests when run again, and puts the models side by side', async () => {
    const before = server.stats().requests.total;
    const { report, files } = await run(['gpt-5-mini', 'gpt-5-nano']);
    expect(server.stats().requests.total).toBe(before);
    expect(report.models.map((m) => [m.model, m.usage.requests, m.usage.cacheHits])).toEqual([
      ['gpt-5-mini', 0, turns],
      ['gpt-5-nano', 0, turns],
    ]);
    const md = readFileSync(files.md, 'utf8');
    expect(md).toMatch(/\| category \| gpt-5-mini \| gpt-5-nano \|/);
    expect(md).toMatch(/\| parallel \| 100\.0% \(20\/20/);
    const html = readFileSync(files.html, 'utf8');
    expect(html).toContain('<th>gpt-5-mini</th><th>gpt-5-nano</th>');
    expect(html).toContain('Worst rows');
    expect(html).toMatch(/expected: <code>(get_forecast|no call)/);
  });

  it('reads calls written as <tool_call> blocks in the text', async () => {
    const { report } = await run(['gpt-4.1-mini']);
    expect(report.models[0].overall.accuracy).toBe(1);
  });

  it('says what to do when the input has nothing to score', async () => {
    await expect(runEvaluate({ input: join(dir, 'missing'), models: ['m'], env: env(), root: dir, log: bufferLogger() })).rejects.toThrow(/does not exist/);
    await expect(runEvaluate({ input: truthFile, models: [], env: env(), root: dir, log: bufferLogger() })).rejects.toThrow(/No model to evaluate/);
  });
});
