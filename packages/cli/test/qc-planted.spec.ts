// `mcp-forge qc` over planted datasets, through the real command in child processes: a Hermes and an
// OpenAI-format file with known-bad calls (wrong tool name, missing required argument, wrong type,
// enum violation, broken JSON, a call in a no_tool row, a single call in a parallel row), planted
// near-duplicates (exact word-3-shingle Jaccard >= 0.9 with an earlier row) and distinct clean rows.
// The rows and their ground truth come from bench/qc/planted-dataset.ts (the benchmark's data).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFECTS, type Defect } from '../../../bench/qc/planted-dataset';
import { scoreQcOutput, type QcQuality } from '../../../bench/qc/quality';
import { writeDataset, type WrittenDataset } from '../../../bench/qc/write-dataset';

const REPO = resolve(__dirname, '../../..');
const BIN = join(REPO, 'packages/cli/bin/mcp-forge.js');
const ROWS = 1500;
// Near-duplicates land 1-300 rows after their original, so nearly all of them fall inside the file.
const PLANTED = { seed: 21, duplicateShare: 0.1, defectShare: 0.05, maxGap: 300 };

jest.setTimeout(60_000);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function qc(file: string, lock: string, extra: string[] = []): Promise<Run> {
  const env = { ...process.env };
  for (const k of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'CI']) delete env[k];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, 'qc', file, '--tools', lock, ...extra], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

interface Checked {
  data: WrittenDataset;
  run: Run;
  report: { passed: boolean; gate: { metric: string; value: number | null; threshold: string; ok: boolean }[]; counts: { total: number; rejected: number } };
  quality: QcQuality;
}

/** Reasons of every row of a rejected.jsonl, by row id. */
function rejectedReasons(file: string): Map<string, string[]> {
  const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; reasons: string[] });
  return new Map(rows.map((r) => [r.id, r.reasons]));
}

let tmp: string;
const checked: Record<'hermes' | 'openai', Checked> = {} as Record<'hermes' | 'openai', Checked>;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'forge-qc-planted-'));
  await Promise.all(
    (['hermes', 'openai'] as const).map(async (format) => {
      const data = writeDataset(join(tmp, format), ROWS, format, PLANTED);
      const out = join(tmp, format, 'out');
      const run = await qc(data.file, data.lock, ['--out', out, '--json']);
      let report: Checked['report'];
      try {
        report = JSON.parse(run.stdout);
      } catch {
        throw new Error(`qc --json printed no JSON (exit ${run.code}):\n${run.stdout.slice(0, 2000)}\n${run.stderr.slice(-2000)}`);
      }
      checked[format] = { data, run, report, quality: await scoreQcOutput(join(out, 'rejected.jsonl'), data.truth) };
    }),
  );
}, 120_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.each(['hermes', 'openai'] as const)('mcp-forge qc on a planted %s dataset', (format) => {
  it('plants every kind of defect, near-duplicates at Jaccard >= 0.9, and distinct clean rows', () => {
    const { data, quality } = checked[format];
    const kinds = Object.values(data.truth.defects);
    const perKind = Object.fromEntries(DEFECTS.map((d) => [d, kinds.filter((k) => k === d).length]));
    expect(Math.min(...Object.values(perKind))).toBeGreaterThanOrEqual(5);
    expect(quality.planted).toBeGreaterThanOrEqual(100);
    expect(quality.cleanRows).toBeGreaterThan(ROWS * 0.8);
  });

  it('rejects every planted defect with the reason code of its kind', () => {
    const { quality } = checked[format];
    expect(quality.missedDefects).toEqual([]);
    expect(quality.defectsCaught).toBe(quality.defects);
  });

  it('says in rejected.jsonl what is wrong with each defect row (the unknown tool, the missing property, ...)', () => {
    const { data } = checked[format];
    const reasons = rejectedReasons(join(tmp, format, 'out', 'rejected.jsonl'));
    const expected: Record<Defect, RegExp> = {
      wrong_tool: /^unknown_tool: get_\w+_v2$/,
      missing_required: /^missing_required: get_\w+\.(city|region)$/,
      wrong_type: /^invalid_arguments: get_forecast \/days must be integer$/,
      enum_violation: /^invalid_arguments: get_(weather \/units|alerts \/severity) must be one of \[/,
      broken_json: /^unparseable_arguments: get_\w+ \{/,
      call_in_no_tool: /^scenario: no_tool sample calls get_\w+$/,
      single_call_parallel: /^scenario: parallel sample has no assistant turn with 2 or more calls$/,
    };
    const unexplained = Object.entries(data.truth.defects)
      .map(([row, defect]) => ({ id: data.truth.ids[Number(row)], defect, reasons: reasons.get(data.truth.ids[Number(row)]) ?? [] }))
      .filter((r) => !r.reasons.some((reason) => expected[r.defect].test(reason)));
    expect(unexplained).toEqual([]);
  });

  it('rejects no clean row', () => {
    expect(checked[format].quality.cleanRejected).toEqual([]);
  });

  it('finds at least 95% of the planted near-duplicates with at most 1% false merges', () => {
    const { quality } = checked[format];
    expect(quality.recall).toBeGreaterThanOrEqual(0.95);
    expect(quality.falseMergeRate).toBeLessThanOrEqual(0.01);
  });

  it('exits 1: the planted near-duplicates miss the duplicateRatio threshold', () => {
    const { run, report } = checked[format];
    expect(run.code).toBe(1);
    expect(report.passed).toBe(false);
    expect(report.gate.find((g) => g.metric === 'duplicateRatio')).toEqual(expect.objectContaining({ threshold: '< 0.05', ok: false }));
    for (const g of report.gate) expect(Object.keys(g)).toEqual(expect.arrayContaining(['metric', 'value', 'threshold']));
  });
});

describe('mcp-forge qc exit code and table', () => {
  it('prints a metric / value / threshold table and exits 1 when a threshold is missed', async () => {
    const { data } = checked.hermes;
    const r = await qc(data.file, data.lock);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^metric\s+\|\s+value\s+\|\s+threshold\s+\|\s+status\s*$/m);
    expect(r.stdout).toMatch(/^parseRate\s+\|\s+0\.9\d*\s+\|\s+>= 0\.98\s+\|\s+ok\s*$/m);
    expect(r.stdout).toMatch(/^duplicateRatio\s+\|\s+0\.\d+\s+\|\s+< 0\.05\s+\|\s+MISSED\s*$/m);
    expect(r.stdout).toContain('Thresholds missed.');
  });

  it('exits 0 on a clean file (no defects, no near-duplicates)', async () => {
    const clean = writeDataset(join(tmp, 'clean'), 400, 'openai', { seed: 5, duplicateShare: 0, defectShare: 0 });
    const r = await qc(clean.file, clean.lock);
    expect({ code: r.code, stderr: r.stderr.slice(-1500) }).toEqual({ code: 0, stderr: expect.any(String) });
    expect(r.stdout).toMatch(/^duplicateRatio\s+\|\s+0\s+\|\s+< 0\.05\s+\|\s+ok\s*$/m);
    expect(r.stdout).toContain('All thresholds met.');
  });
});
