// `mcp-forge generate` offline on a server with 60 tools (fixtures/sixty-tools-server.js), through
// the real command: `--samples 40` stops before generating anything and names the smallest `samples`
// that covers every tool; at that size every tool is planned, the default gate passes, and the Hermes
// and OpenAI rows offer at most the configured number of tools (irrelevance rows none that could answer).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { couldAnswer } from '../../core/src/stages/tool-roles';
import type { ToolsLock } from '../../core/src/types';

const REPO = resolve(__dirname, '../../..');
const BIN = join(REPO, 'packages/cli/bin/mcp-forge.js');
const SERVER = `node ${join(__dirname, 'fixtures/sixty-tools-server.js')}`;

jest.setTimeout(180_000);

function forge(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  const env = { ...process.env };
  for (const k of ['OPENAI_API_KEY', 'OPENAI_BASE_URL']) delete env[k];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, out }));
  });
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

let tmp: string;
beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'forge-sixty-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('mcp-forge generate on a 60-tool server (offline)', () => {
  let least: number;

  it('stops before generating anything when --samples 40 cannot cover 60 tools, and says the minimum', async () => {
    const out = join(tmp, 'small');
    const r = await forge(['generate', '--server', SERVER, '--samples', '40', '--provider', 'offline', '--out', out], tmp);
    expect(r.code).not.toBe(0);
    const m = /samples: 40 is too small for 60 tools[\s\S]*smallest samples that covers every tool is (\d+)/.exec(r.out);
    expect(m).not.toBeNull();
    least = Number(m![1]);
    expect(r.out).toMatch(new RegExp(`Set samples to at least ${least}`));
    expect(existsSync(join(out, 'seeds.jsonl'))).toBe(false);
    expect(existsSync(join(out, 'plan.json'))).toBe(false);
  });

  it('at that size plans every tool, passes the default gate, and offers at most 8 tools per row', async () => {
    const out = join(tmp, 'enough');
    const r = await forge(['generate', '--server', SERVER, '--samples', String(least), '--factor', '2', '--provider', 'offline', '--formats', 'hermes,openai', '--out', out], tmp);
    expect(r.code).toBe(0);
    const lock = JSON.parse(readFileSync(join(out, 'tools.lock.json'), 'utf8')) as ToolsLock;
    expect(lock.tools).toHaveLength(60);
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8')) as { items: { scenario: string; targets: string[]; offered: string[] }[] };
    const primary = new Set(plan.items.filter((i) => !['no_tool', 'irrelevance'].includes(i.scenario)).map((i) => i.targets[0]));
    expect(primary.size).toBe(60);
    const qc = JSON.parse(readFileSync(join(out, 'qc.json'), 'utf8'));
    expect(qc.passed).toBe(true);
    expect(Math.min(...Object.values(qc.acceptedPerTool as Record<string, number>))).toBeGreaterThanOrEqual(1);

    const byName = new Map(lock.tools.map((t) => [t.name, t]));
    const hermes = [...lines(join(out, 'hermes/train.jsonl')), ...lines(join(out, 'hermes/eval.jsonl'))];
    const openai = [...lines(join(out, 'openai/train.jsonl')), ...lines(join(out, 'openai/eval.jsonl'))];
    expect(hermes.length).toBeGreaterThan(least);
    for (const row of hermes) {
      const offered = /<tools>\n([\s\S]*?)\n<\/tools>/.exec(row.messages[0].content)![1].split('\n').map((l: string) => JSON.parse(l));
      expect(offered.length).toBeGreaterThanOrEqual(1);
      expect(offered.length).toBeLessThanOrEqual(8);
    }
    for (const row of openai) expect(row.tools.length).toBeLessThanOrEqual(8);
    const irrelevance = hermes.filter((r) => r.scenario === 'irrelevance');
    expect(irrelevance.length).toBeGreaterThan(0);
    const seeds = lines(join(out, 'seeds.jsonl'));
    for (const s of seeds.filter((x) => x.scenario === 'irrelevance')) {
      const needed = byName.get(s.meta.targets[0])!;
      for (const name of s.tools) expect(couldAnswer(needed, byName.get(name)!)).toBe(false);
    }
  });
});
