// The real `mcp-forge` command (packages/cli/bin/mcp-forge.js) in child processes, from the repo root,
// against the real npm memory MCP server: generate, dry run, inspect, qc, help, errors and progress.
import { SCENARIOS } from '../../core/src/types';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestServer, type TestServer } from 'openai-test-server';

const REPO = resolve(__dirname, '../../..');
const BIN = join(REPO, 'packages/cli/bin/mcp-forge.js');
const MEMORY = 'npx -y @modelcontextprotocol/server-memory';

jest.setTimeout(60_000);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let tmp: string;
let baseEnv: NodeJS.ProcessEnv;

/** Runs the CLI without blocking this process (the in-process test server must keep answering). */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const TOOL_CALL = /<tool_call>\n([\s\S]*?)\n<\/tool_call>/;

let full: Run;
const out = () => join(tmp, 'memory');

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'forge-cli-'));
  baseEnv = { ...process.env, FORGE_CACHE_DIR: join(tmp, 'cache') };
  for (const k of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'CI', 'FORGE_DEBUG']) delete baseEnv[k];
  full = await cli(['generate', '--server', MEMORY, '--samples', '100', '--out', out()]);
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('mcp-forge generate', () => {
  it('writes a complete dataset and report with no API key, and says it is an offline build', () => {
    expect({ code: full.code, stderr: full.stderr.slice(-2000) }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(`${full.stdout}${full.stderr}`).toContain('OFFLINE BUILD');
    for (const f of ['forge.yaml', 'tools.lock.json', 'plan.json', 'seeds.jsonl', 'augmented.jsonl', 'accepted.jsonl', 'rejected.jsonl', 'qc.json', 'train.jsonl', 'eval.jsonl', 'report.html', 'report.md', 'README.md']) {
      expect([f, existsSync(join(out(), f))]).toEqual([f, true]);
    }
    const rows = lines(join(out(), 'train.jsonl'));
    expect(rows.length).toBeGreaterThan(80);
    expect(new Set(rows.map((r) => r.scenario))).toEqual(new Set(SCENARIOS));
    expect(JSON.parse(readFileSync(join(out(), 'qc.json'), 'utf8')).passed).toBe(true);
    expect(readFileSync(join(out(), 'report.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    expect(readFileSync(join(out(), 'README.md'), 'utf8')).toMatch(/^---\n[\s\S]*\n---\n/);
    expect(full.stdout).toContain(`Dataset written to ${out()}`);
  });

  it('prints plain progress lines when its output is not a terminal', () => {
    expect(full.stderr).toMatch(/^generate: 50\/100$/m);
    expect(full.stderr).toMatch(/^qc: \d+\/\d+$/m);
    expect(full.stderr).not.toContain('\r');
  });

  it('--dry-run prints the plan and an estimate and makes nothing', async () => {
    const dir = join(tmp, 'dry');
    const r = await cli(['generate', '--server', MEMORY, '--samples', '100', '--out', dir, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Dry run: 100 seed samples/);
    expect(r.stdout).toMatch(/standard\s+30/);
    expect(r.stdout).toMatch(/irrelevance\s+8/);
    expect(r.stdout).toContain('read_graph');
    expect(r.stdout).toMatch(/Estimate: .*0 requests/);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  }, 60_000);

  it('fails with a clear message and exit code 2 when the server command does not exist', async () => {
    const r = await cli(['generate', '--server', 'no-such-mcp-server-command --stdio', '--out', join(tmp, 'missing')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('command "no-such-mcp-server-command" was not found');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(join(tmp, 'missing', 'train.jsonl'))).toBe(false);
  });

  it('uses the openai provider when OPENAI_BASE_URL points at an OpenAI-compatible server', async () => {
    const server: TestServer = await startTestServer({ batchStepMs: 0 });
    try {
      const dir = join(tmp, 'openai');
      // The test server's canned replies fail the judge on a few rows, which moves the scenario
      // shares of a small set by more than the default 0.02: this build is about the provider.
      const config = join(tmp, 'openai.forge.yaml');
      // The test server copies values from results only into string arguments, so it cannot chain the
      // memory server's name lists (sequential rows); the mix here leaves sequential out.
      writeFileSync(config, 'server: { command: unused }\nsamples: 40\naugmentation: { factor: 2 }\nthresholds: { scenarioTolerance: 0.1 }\nscenarios: { standard: 0.35, multiple: 0.15, parallel: 0.08, parallel_multiple: 0.07, multi_turn: 0.05, irrelevance: 0.08, no_tool: 0.08, error: 0.06, ambiguous: 0.04, edge: 0.04 }\n');
      const env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'test-key' };
      const r = await cli(['generate', '--config', config, '--server', MEMORY, '--out', dir], env);
      expect({ code: r.code, stderr: r.stderr.slice(-2000) }).toEqual({ code: 0, stderr: expect.any(String) });
      expect(`${r.stdout}${r.stderr}`).not.toContain('OFFLINE BUILD');
      expect(server.stats().requests.total).toBeGreaterThan(40);
      expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).provider).toBe('openai');
      expect(readFileSync(join(dir, 'train.jsonl'), 'utf8')).not.toContain('test-key');
    } finally {
      await server.close();
    }
  }, 90_000);
});

describe('mcp-forge inspect', () => {
  it('prints the lock file of a server', async () => {
    const r = await cli(['inspect', '--server', MEMORY]);
    expect(r.code).toBe(0);
    const lock = JSON.parse(r.stdout);
    expect(lock.lockfileVersion).toBe(1);
    expect(lock.servers[0].label).toBe(MEMORY);
    expect(lock.tools.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['read_graph', 'open_nodes', 'create_entities']));
  });
});

describe('mcp-forge qc', () => {
  it('passes a generated train file (exit 0) and prints the metric table', async () => {
    const r = await cli(['qc', join(out(), 'train.jsonl'), '--tools', join(out(), 'tools.lock.json')]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: expect.stringContaining('All thresholds met.') });
    expect(r.stdout).toMatch(/parseRate\s+\|\s+1\s+\|/);
  });

  it('fails a file with planted defects (exit 1): broken JSON call, unknown tool, wrong argument type', async () => {
    const rows = lines(join(out(), 'train.jsonl'));
    const withArgs = rows.filter((r) => {
      const m = r.messages.find((x: { role: string; content: string }) => x.role === 'assistant' && TOOL_CALL.test(x.content));
      return m && Object.keys(JSON.parse(TOOL_CALL.exec(m.content)![1]).arguments ?? {}).length > 0;
    });
    const plant = (row: (typeof rows)[number], edit: (callJson: string) => string) => {
      const copy = structuredClone(row);
      const m = copy.messages.find((x: { role: string; content: string }) => x.role === 'assistant' && TOOL_CALL.test(x.content));
      m.content = m.content.replace(TOOL_CALL, (_all: string, body: string) => `<tool_call>\n${edit(body)}\n</tool_call>`);
      return copy;
    };
    const rewrite = (change: (call: { name: string; arguments: Record<string, unknown> }) => void) => (body: string) => {
      const call = JSON.parse(body);
      change(call);
      return JSON.stringify(call);
    };
    const defects = [
      ...withArgs.slice(0, 4).map((r) => plant(r, (body) => body.slice(0, -1))), // JSON cut short
      ...withArgs.slice(4, 8).map((r) => plant(r, rewrite((c) => (c.name = 'drop_database')))),
      ...withArgs.slice(8, 12).map((r) => plant(r, rewrite((c) => {
        const key = Object.keys(c.arguments)[0];
        c.arguments[key] = typeof c.arguments[key] === 'number' ? 'seven' : 12345;
      }))),
    ];
    const file = join(tmp, 'defects.jsonl');
    writeFileSync(file, [...rows.slice(0, 20), ...defects].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const r = await cli(['qc', file, '--tools', join(out(), 'tools.lock.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/metric\s+\|\s+value\s+\|\s+threshold\s+\|\s+status/);
    expect(r.stdout).toMatch(/parseRate\s+\|\s+0\.\d+\s+\|\s+>= 0\.98\s+\|\s+MISSED/);
    expect(r.stdout).toMatch(/schemaConformance\s+\|\s+0\.\d+\s+\|\s+>= 0\.95\s+\|\s+MISSED/);
    expect(r.stdout).toMatch(/unparseable_arguments: 4/);
    expect(r.stdout).toMatch(/unknown_tool: 4/);
    expect(r.stdout).toMatch(/invalid_arguments: 4/);
    expect(r.stdout).toContain('Thresholds missed.');
  });
});

describe('mcp-forge --help', () => {
  it.each([
    [[], ['generate', 'inspect', 'qc', 'eval']],
    [['generate'], ['--server <cmd>', '--samples <n>', '--config <file>', '--out <dir>', '--provider <name>', '--model <model>', '--batch', '--dry-run']],
    [['inspect'], ['--server <cmd>', '--config <file>', '--out <file>']],
    [['qc'], ['<file>', '--tools <file>', '--config <file>', '--json']],
    [['eval'], ['<dataset>', '--model <model>', '--compare <model...>', '--base-url <url>', '--export <format>']],
  ])('mcp-forge %j --help lists its options', async (command, expected) => {
    const r = await cli([...command, '--help']);
    expect(r.code).toBe(0);
    for (const text of expected) expect(r.stdout).toContain(text);
  });
});

describe('mcp-forge eval', () => {
  it('scores two models side by side through --base-url, exports BFCL files, and asks for --model', async () => {
    const rows = lines(join(out(), 'eval.truth.jsonl'));
    expect(rows.length).toBeGreaterThan(0);
    // gpt-5-nano answers every scored turn broken in a known way: 0%.
    const server = await startTestServer({ eval: { rows, broken: { 'gpt-5-nano': 1 } } });
    try {
      const r = await cli(['eval', out(), '--model', 'gpt-5-mini', '--compare', 'gpt-5-nano', '--base-url', server.url]);
      expect({ code: r.code, stderr: r.stderr.slice(-2000) }).toEqual({ code: 0, stderr: expect.any(String) });
      const report = JSON.parse(readFileSync(join(out(), 'eval.json'), 'utf8'));
      expect(report.models.map((m: { model: string; overall: { accuracy: number } }) => [m.model, m.overall.accuracy])).toEqual([
        ['gpt-5-mini', 1],
        ['gpt-5-nano', 0],
      ]);
      expect(readFileSync(join(out(), 'eval.md'), 'utf8')).toContain('| category | gpt-5-mini | gpt-5-nano |');
    } finally {
      await server.close();
    }
    const bfcl = join(tmp, 'bfcl');
    const e = await cli(['eval', out(), '--export', 'bfcl', bfcl]);
    expect(e.code).toBe(0);
    expect(readdirSync(bfcl)).toEqual(expect.arrayContaining(['ids.json', 'possible_answer']));
    expect(readdirSync(bfcl).some((f) => /^BFCL_v3_(simple|multiple)\.json$/.test(f))).toBe(true);
    const missing = await cli(['eval', out()]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--model/);
  });
});
