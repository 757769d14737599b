// Top-up and repair against the project's OpenAI-compatible test server, through the real command:
// the server makes only the first call in 50% of the replies that would make several, and breaks a
// maxLength in 30% of calls. On a 100-sample build on the 60-tool server, rejected parallel rows are
// replaced (top-up) until the parallel scenarios are (nearly) full, invalid arguments are corrected by
// one repair request; both are counted in usage.json and the report. A rebuild with nothing changed
// makes no model request and writes the same bytes.
// Known gap (measured, see the issue): the test server's simulated results invent ids that do not fit
// the next tool's id pattern, so a few sequential rows stay short and the whole mix can miss its 0.02
// tolerance; this spec asserts the parallel scenarios and the counting, not the full gate.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestServer, type TestServer } from 'openai-test-server';

const REPO = resolve(__dirname, '../../..');
const BIN = join(REPO, 'packages/cli/bin/mcp-forge.js');
const SERVER = join(__dirname, 'fixtures/sixty-tools-server.js');

jest.setTimeout(600_000);

let tmp: string;
let server: TestServer;

function forge(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: tmp, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, out }));
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'forge-topup-'));
  server = await startTestServer({ faults: { refuseParallel: 0.5, violateMaxLength: 0.3, seed: 4 } });
  writeFileSync(
    join(tmp, 'forge.yaml'),
    ['name: topup', 'server:', '  command: node', `  args: [${JSON.stringify(SERVER)}]`, 'samples: 100', 'seed: 3', 'generator: { model: gpt-5-mini, concurrency: 8 }', 'augmentation: { factor: 1 }', 'judge: { model: gpt-5-mini }', 'output: { formats: [hermes] }', ''].join('\n'),
  );
});
afterAll(async () => {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('mcp-forge generate against a test server that refuses parallel calls and breaks maxLength', () => {
  const env = () => ({ OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'x', FORGE_CACHE_DIR: join(tmp, 'cache') });
  let first: { code: number | null; out: string };

  it('replaces refused parallel rows and repairs maxLength violations, counting both in usage.json', async () => {
    first = await forge(['generate', '--config', join(tmp, 'forge.yaml'), '--out', join(tmp, 'out')], env());
    const stats = server.stats();
    expect(stats.faults.refusedParallel).toBeGreaterThan(0);
    expect(stats.faults.violatedMaxLength).toBeGreaterThan(0);
    const out = join(tmp, 'out');
    const usage = JSON.parse(readFileSync(join(out, 'usage.json'), 'utf8'));
    expect(usage.topUp.replacements).toBeGreaterThan(0);
    expect(usage.topUp.recovered).toBeGreaterThan(0);
    expect(usage.repair.repairs).toBeGreaterThan(0);
    expect(usage.repair.repaired / usage.repair.repairs).toBeGreaterThan(0.5);
    expect(usage.usage.requests).toBeGreaterThan(100);
    // Parallel rows lost to the refusals are replaced: top-up wins some of them back (not all: see the README's top-up notes).
    const plan0 = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    const seeds = readFileSync(join(out, 'seeds.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    for (const sc of ['parallel', 'parallel_multiple']) {
      const wanted = plan0.scenarioCounts[sc];
      const got = seeds.filter((r: { scenario: string }) => r.scenario === sc).length;
      const lostAtFirst = plan0.items.filter((i: { scenario: string; replaces?: number; status: string }) => i.scenario === sc && i.replaces === undefined && i.status !== 'done').length;
      expect(lostAtFirst).toBeGreaterThan(0);
      expect(wanted - got).toBeLessThan(lostAtFirst);
      expect(usage.topUp.unmet[sc] ?? 0).toBe(wanted - got);
    }
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    expect(plan.items.filter((i: { replaces?: number }) => i.replaces !== undefined)).toHaveLength(usage.topUp.replacements);
  });

  it('rebuilds with nothing changed without a model request, byte-identical', async () => {
    const before = server.stats().requests.total;
    const again = await forge(['generate', '--config', join(tmp, 'forge.yaml'), '--out', join(tmp, 'again')], env());
    expect(again.code).toBe(first.code);
    for (const f of ['plan.json', 'seeds.jsonl', 'generate.rejected.jsonl', 'usage.json']) {
      const a = readFileSync(join(tmp, 'out', f), 'utf8');
      const b = readFileSync(join(tmp, 'again', f), 'utf8');
      if (f === 'usage.json') {
        expect(JSON.parse(b).usage.requests).toBe(0);
        expect(JSON.parse(b).topUp).toEqual(JSON.parse(a).topUp);
      }
      else expect(b).toBe(a);
    }
    expect(server.stats().requests.total).toBe(before);
  });
});
