// `mcp-forge qc` over planted semantic defects (see semantic-planted.ts), through the real command in
// a child process: 30 rows of each kind mixed into 300 clean offline rows, written in the Hermes
// format. Each kind must be rejected with its own reason code (>= 95%), and at most 2% of the clean
// rows may be rejected (for any reason: rule checks, judge, near-duplicates).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { toHermes } from '../../core/src/formats/hermes';
import { judgeByRules } from '../../core/src/llm/offline/judge';
import type { Sample } from '../../core/src/types';
import { plantedSemanticSet, SEMANTIC_DEFECTS, WEATHER_LOCK, weatherTools, type SemanticDefect } from './semantic-planted';

const REPO = resolve(__dirname, '../../..');
const BIN = join(REPO, 'packages/cli/bin/mcp-forge.js');

jest.setTimeout(120_000);

function qc(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  for (const k of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'CI']) delete env[k];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, 'qc', ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

let tmp: string;
let truth: Map<string, SemanticDefect | 'clean'>;
let rejected: Map<string, string[]>;
let report: { rejectionsByReason: Record<string, number> };
let generated: { rows: number; rejected: number };
let rows: Sample[];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'forge-qc-semantic-'));
  const set = await plantedSemanticSet();
  truth = set.truth;
  rows = set.rows;
  generated = { rows: set.generated, rejected: set.generateRejected };
  const tools = weatherTools();
  const file = join(tmp, 'planted.jsonl');
  writeFileSync(file, set.rows.map((r) => JSON.stringify(toHermes(r, tools))).join('\n') + '\n');
  const out = join(tmp, 'out');
  const run = await qc([file, '--tools', WEATHER_LOCK, '--out', out, '--json']);
  try {
    report = JSON.parse(run.stdout);
  } catch {
    throw new Error(`qc --json printed no JSON (exit ${run.code}):\n${run.stdout.slice(0, 2000)}\n${run.stderr.slice(-2000)}`);
  }
  const lines = readFileSync(join(out, 'rejected.jsonl'), 'utf8').split('\n').filter(Boolean);
  rejected = new Map(lines.map((l) => JSON.parse(l) as { id: string; reasons: string[] }).map((r) => [r.id, r.reasons]));
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('mcp-forge qc on planted semantic defects', () => {
  it.each(SEMANTIC_DEFECTS)('rejects at least 95%% of the %s rows with that reason code', (kind) => {
    const ids = [...truth].filter(([, k]) => k === kind).map(([id]) => id);
    expect(ids).toHaveLength(30);
    const caught = ids.filter((id) => (rejected.get(id) ?? []).some((r) => r.startsWith(`${kind}:`)));
    console.log(`${kind}: ${caught.length}/${ids.length} rejected with its code`);
    expect(caught.length / ids.length).toBeGreaterThanOrEqual(0.95);
    expect(report.rejectionsByReason[kind]).toBeGreaterThanOrEqual(caught.length);
  });

  it('rejects at most 2% of the 300 clean rows', () => {
    const clean = [...truth].filter(([, k]) => k === 'clean').map(([id]) => id);
    expect(clean).toHaveLength(300);
    const wrongly = clean.filter((id) => rejected.has(id)).map((id) => `${id}: ${rejected.get(id)!.join('; ')}`);
    console.log(`clean rows rejected: ${wrongly.length}/300${wrongly.length ? `\n${wrongly.join('\n')}` : ''}`);
    expect(wrongly.length).toBeLessThanOrEqual(6);
  });

  it('generates clean rows: the offline generator itself rejects few of its own rows', () => {
    expect(generated.rejected / (generated.rows + generated.rejected)).toBeLessThan(0.05);
  });

  it('the offline judge spreads its scores over clean rows, keeps them above minScore, and scores defect rows low', () => {
    const tools = weatherTools();
    const score = (kind: SemanticDefect | 'clean') => rows.filter((r) => truth.get(r.id) === kind).map((r) => judgeByRules(r, tools).score);
    const clean = score('clean');
    const histogram = new Map<number, number>();
    for (const s of clean) histogram.set(Math.floor(s * 20) / 20, (histogram.get(Math.floor(s * 20) / 20) ?? 0) + 1);
    expect(histogram.size).toBeGreaterThanOrEqual(3);
    expect(Math.max(...histogram.values())).toBeLessThan(clean.length * 0.8);
    expect(clean.filter((s) => s < 0.8).length).toBeLessThanOrEqual(6);
    expect(clean.reduce((a, b) => a + b, 0) / clean.length).toBeGreaterThanOrEqual(0.8);
    for (const kind of SEMANTIC_DEFECTS) expect(score(kind).filter((s) => s < 0.8).length).toBeGreaterThanOrEqual(28);
    // The histogram, for the record (docs and the report of the change quote it).
    console.log(`offline judge, clean rows: ${[...histogram].sort((a, b) => a[0] - b[0]).map(([b, n]) => `${b.toFixed(2)}: ${n}`).join(', ')}`);
  });
});
