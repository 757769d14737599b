// Top-up and repair against the project's OpenAI-compatible test server, through the real command:
// the server makes only the first call in 50% of the replies that would make several, and breaks a
// maxLength in 30% of calls. A 100-sample build on the 60-tool server still passes the default gate
// with the scenario mix within its tolerance: parallel turns with too few calls are tried again,
// rejected rows are replaced (top-up), invalid arguments are corrected by one repair request, and a
// tool left without a row gets a single-call row where the mix has room; replacements and repairs are
// counted in usage.json and the report. A rebuild with nothing changed makes no model request and
// writes the same bytes.
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

  it('meets the scenario mix within tolerance and passes the default gate, counting replacements and repairs in usage.json and the report', async () => {
    first = await forge(['generate', '--config', join(tmp, 'forge.yaml'), '--out', join(tmp, 'out')], env());
    const stats = server.stats();
    expect(stats.faults.refusedParallel).toBeGreaterThan(0);
    expect(stats.faults.violatedMaxLength).toBeGreaterThan(0);
    const out = join(tmp, 'out');
    // The default gate (scenarioDeviation <= 0.02 among them) passes: the command succeeds.
    expect(first.out).not.toMatch(/QC thresholds missed/);
    expect(first.code).toBe(0);
    const qc = JSON.parse(readFileSync(join(out, 'qc.json'), 'utf8'));
    expect(qc.passed).toBe(true);
    const tolerance = qc.gate.find((g: { metric: string }) => g.metric === 'scenarioDeviation').limit;
    expect(tolerance).toBe(0.02);
    // The mix, counted from the accepted rows against the plan's counts.
    const plan = JSON.parse(readFileSync(join(out, 'plan.json'), 'utf8'));
    const accepted = readFileSync(join(out, 'accepted.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { scenario: string });
    expect(accepted.length).toBeGreaterThanOrEqual(97);
    for (const [scenario, wanted] of Object.entries(plan.scenarioCounts as Record<string, number>)) {
      const got = accepted.filter((r) => r.scenario === scenario).length;
      expect({ scenario, off: Math.abs(got / accepted.length - wanted / plan.samples) <= tolerance }).toEqual({ scenario, off: true });
    }
    // Rows lost to the faults were replaced, and repairs were made; both counted in usage.json...
    const usage = JSON.parse(readFileSync(join(out, 'usage.json'), 'utf8'));
    expect(usage.topUp.replacements).toBeGreaterThan(0);
    expect(usage.topUp.recovered).toBeGreaterThan(0);
    expect(plan.items.filter((i: { replaces?: number }) => i.replaces !== undefined)).toHaveLength(usage.topUp.replacements);
    expect(plan.items.filter((i: { replaces?: number; status: string }) => i.replaces !== undefined && i.status === 'done')).toHaveLength(usage.topUp.recovered);
    expect(usage.repair.repairs).toBeGreaterThan(0);
    expect(usage.repair.repaired / usage.repair.repairs).toBeGreaterThan(0.4);
    expect(usage.usage.requests).toBeGreaterThan(100);
    // ...and in the report.
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain(`generate: ${usage.topUp.replacements} replacements for rejected items in ${usage.topUp.rounds} top-up round`);
    expect(report).toContain(`generate: ${usage.repair.repairs} repair requests for arguments that failed validation, ${usage.repair.repaired} corrected`);
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
