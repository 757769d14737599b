// The whole pipeline through core (no Nx), against the real weather MCP server process.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runAll, runInspect } from './pipeline';
import { bufferLogger } from './util/log';
import type { ToolsLock } from './types';

const REPO = resolve(__dirname, '../../..');
const SERVER = join(REPO, 'tools/weather-mcp-server/bin/weather-mcp-server.js');

function workspace(extra = '', samples = 40, factor = 3): { root: string; dir: string; alertLog: string } {
  const root = mkdtempSync(join(tmpdir(), 'forge-pipe-'));
  const dir = join(root, 'datasets', 'mini');
  mkdirSync(dir, { recursive: true });
  const alertLog = join(root, 'alerts.log');
  writeFileSync(
    join(dir, 'forge.yaml'),
    [
      'server:',
      '  command: node',
      `  args: [${JSON.stringify(SERVER)}]`,
      `  env: { WEATHER_ALERT_LOG: ${JSON.stringify(alertLog)} }`,
      `samples: ${samples}`,
      `augmentation: { factor: ${factor} }`,
      extra || 'thresholds: { scenarioTolerance: 0.05 }',
    ].join('\n'),
  );
  return { root, dir, alertLog };
}

describe('pipeline (offline, real weather server)', () => {
  let ws: ReturnType<typeof workspace>;
  beforeAll(() => (ws = workspace()));
  afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

  it('runs every stage, writes every artifact, and never calls the writing tool live', async () => {
    const log = bufferLogger();
    const result = await runAll({ config: ws.dir, root: ws.root, env: {}, log });
    const out = join(ws.root, 'dist/datasets/mini');
    for (const f of ['plan.json', 'seeds.jsonl', 'usage.json', 'augmented.jsonl', 'accepted.jsonl', 'rejected.jsonl', 'qc.json', 'train.jsonl', 'eval.jsonl', 'report.html', 'report.md', 'README.md', 'hermes/train.jsonl']) {
      expect(existsSync(join(out, f))).toBe(true);
    }
    expect(log.lines.some((l) => l.includes('OFFLINE BUILD'))).toBe(true);
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    // The 40 planned items, then top-up replacements for the rejected ones (each names the item it replaces).
    const planned = plan.items.filter((i: { replaces?: number }) => i.replaces === undefined);
    expect(planned).toHaveLength(40);
    const replacements = plan.items.slice(40);
    // Same scenario; the same primary tool in the first round, the next tools of the rotation after it.
    type Item = { replaces?: number; round?: number; scenario: string; targets: string[] };
    // (A tool left with no accepted sample gets a last single-call item of its own: coverage.)
    const coverage = (i: Item) => ['standard', 'multiple', 'edge'].includes(i.scenario) && plan.items[i.replaces!].scenario !== i.scenario && plan.items[i.replaces!].targets[0] === i.targets[0];
    expect(replacements.every((i: Item) => i.replaces !== undefined && (coverage(i) || (plan.items[i.replaces].scenario === i.scenario && (i.round! > 1 || plan.items[i.replaces].targets[0] === i.targets[0]))))).toBe(true);
    expect(replacements.every((i: Item) => i.round !== undefined && i.round >= 1 && i.round <= 4)).toBe(true);
    const usage = JSON.parse(readFileSync(join(out, 'usage.json'), 'utf8'));
    expect(usage.topUp.replacements).toBe(replacements.length);
    expect(replacements.length).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(`generate: ${replacements.length} replacement${replacements.length === 1 ? '' : 's'} for rejected items`);
    expect(plan.provider).toBe('offline');
    const seeds = readFileSync(join(out, 'seeds.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const alertSeeds = seeds.filter((s) => s.messages.some((m: { tool_calls?: { name: string }[] }) => m.tool_calls?.some((c) => c.name === 'set_weather_alert')));
    expect(alertSeeds.length).toBeGreaterThan(0);
    for (const s of alertSeeds) {
      const ids = s.messages.flatMap((m: { tool_calls?: { id: string; name: string }[] }) => (m.tool_calls ?? []).filter((c) => c.name === 'set_weather_alert').map((c) => c.id));
      for (const id of ids) expect(s.meta.execution[id]).toBe('simulated');
    }
    const live = seeds.filter((s) => Object.values(s.meta.execution ?? {}).includes('live'));
    expect(live.length).toBeGreaterThan(10);
    expect(existsSync(ws.alertLog)).toBe(false);
    expect(result.qc?.passed).toBe(true);
    expect(result.augment!.expansion).toBeCloseTo(3, 1);
  });

  it('inspect --check passes on an unchanged lock and names the drifted tool otherwise', async () => {
    const lockPath = join(ws.dir, 'tools.lock.json');
    await expect(runInspect({ config: ws.dir, root: ws.root, env: {}, log: bufferLogger(), check: true })).resolves.toMatchObject({ changed: false });
    const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as ToolsLock;
    const forecast = lock.tools.find((t) => t.name === 'get_forecast')!;
    (forecast.inputSchema as { properties: Record<string, unknown> }).properties.days = { type: 'integer' };
    writeFileSync(lockPath, JSON.stringify(lock, null, 2));
    await expect(runInspect({ config: ws.dir, root: ws.root, env: {}, log: bufferLogger(), check: true })).rejects.toThrow(/drifted[\s\S]*get_forecast/);
    await runInspect({ config: ws.dir, root: ws.root, env: {}, log: bufferLogger() });
    await expect(runInspect({ config: ws.dir, root: ws.root, env: {}, log: bufferLogger(), check: true })).resolves.toMatchObject({ changed: false });
  });

  it('runs a writing tool live only when the config opts in', async () => {
    const opt = workspace(
      ['tools:', '  include: [set_weather_alert]', '  overrides:', '    set_weather_alert: { execution: live }', 'scenarios: { standard: 1 }', 'thresholds: { scenarioTolerance: 1 }'].join('\n'),
      4,
      1,
    );
    try {
      await runAll({ config: opt.dir, root: opt.root, env: {}, log: bufferLogger() });
      const calls = readFileSync(opt.alertLog, 'utf8').trim().split('\n');
      expect(calls.length).toBeGreaterThanOrEqual(4);
      const seeds = readFileSync(join(opt.root, 'dist/datasets/mini/seeds.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(seeds.every((s) => Object.values(s.meta.execution).every((m) => m === 'live'))).toBe(true);
    } finally {
      rmSync(opt.root, { recursive: true, force: true });
    }
  });
});
