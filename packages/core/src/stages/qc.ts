// QC stage: rule checks, judge, near-duplicate removal and the threshold gate, streamed over a JSONL
// file in two passes (memory holds a few numbers per row, not the rows): pass 1 checks and judges each
// row and adds its MinHash signature to its scenario's dedup index; then dedup clusters; pass 2
// re-reads the file and writes every row, with its annotations, to accepted.jsonl or rejected.jsonl.
import type { ForgeConfig } from '../config/types';
import type { LlmProvider } from '../llm/provider';
import type { Sample, Scenario, ToolDef } from '../types';
import { checkSample, reasonCode } from './validate';
import { SampleDeduper } from './dedup';
import { validateAgainst } from '../schema/validator';
import { JsonlWriter, readJsonl, readJsonlLines } from '../util/files';
import { isPlainObject } from '../formats/json';
import { mapPool } from '../util/pool';
import type { Logger } from '../util/log';
import { evaluateGate, type GateRow, type QcMetrics } from './gate';
import { projectMix, type MixRow } from './mix';
import { parallelSamples } from '../llm/limiter';

export interface QcResult {
  metrics: QcMetrics;
  gate: GateRow[];
  passed: boolean;
  counts: { total: number; accepted: number; rejected: number; seeds: number; augmented: number; real: number };
  rejectionsByReason: Record<string, number>;
  judgeScores: number[];
  acceptedPerTool: Record<string, number>;
  acceptedPerScenario: Partial<Record<Scenario, number>>;
}

interface RowState {
  id: string;
  seedId: string;
  source: Sample['source'];
  scenario: Scenario;
  tool: string | null;
  reasons: string[];
  score?: number;
  judgeReasons?: string[];
  duplicateOf?: string;
  /** toSample returned the row as read (the same object) and it has a meta object: pass 2 may copy its line. */
  asRead?: boolean;
}


export async function runQc(opts: {
  cfg: ForgeConfig;
  input: string;
  tools: ToolDef[];
  provider?: LlmProvider;
  /** Tools the gate's minSamplesPerTool applies to (default: all of `tools`). */
  gateTools?: string[];
  /**
   * Converts a row of the input file into a sample (external formats); identity by default. Returning
   * the row object itself means "unchanged": it must not have been modified (pass 2 copies its line).
   */
  toSample?: (row: unknown, index: number) => Sample;
  outDir?: string;
  log?: Logger;
}): Promise<QcResult & { states: RowState[] }> {
  const { cfg, tools, provider, log } = opts;
  const toSample = opts.toSample ?? ((r: unknown) => r as Sample);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const states: RowState[] = [];
  // Rule-clean rows go into their scenario's dedup index as they are read (signatures, not texts, are kept).
  const deduper = new SampleDeduper(cfg.dedup);
  let calls = 0;
  let parsed = 0;
  let conforming = 0;
  const judgeEnabled = cfg.judge.enabled && !!provider;
  let batch: { sample: Sample; state: RowState; i: number }[] = [];

  const flush = async () => {
    if (judgeEnabled && provider) {
      await mapPool(batch.filter((b) => !b.state.reasons.length), provider.maxParallelSamples ?? parallelSamples(cfg.generator.concurrency), async ({ sample, state }) => {
        const verdict = await provider.judge(sample, tools);
        state.score = verdict.score;
        state.judgeReasons = verdict.reasons;
        if (verdict.score < cfg.judge.minScore) state.reasons.push(`judge_below_min: ${verdict.score} < ${cfg.judge.minScore}${verdict.reasons.length ? ` (${verdict.reasons.join('; ')})` : ''}`);
      });
    }
    for (const { sample, state, i } of batch) keepForDedup(sample, state, i);
    batch = [];
  };
  const keepForDedup = (sample: Sample, state: RowState, i: number) => {
    if (!state.reasons.length) deduper.add(sample, i);
  };

  let index = 0;
  for await (const row of readJsonl(opts.input)) {
    const sample = toSample(row, index);
    // Problems found while reading the row (external formats) stay, next to the rule checks.
    const reasons = [...new Set([...(sample.reasons ?? []), ...checkSample(sample, byName)])];
    for (const m of sample.messages) {
      for (const c of m.tool_calls ?? []) {
        calls++;
        if (c.arguments === undefined) continue;
        parsed++;
        const tool = byName.get(c.name);
        if (tool && validateAgainst(tool.inputSchema, c.arguments).valid) conforming++;
      }
    }
    const state: RowState = { id: sample.id, seedId: sample.seedId ?? sample.id, source: sample.source ?? 'seed', scenario: sample.scenario, tool: sample.tool_name ?? null, reasons, ...(sample === row && isPlainObject(sample.meta) ? { asRead: true } : {}) };
    if (judgeEnabled) {
      batch.push({ sample, state, i: states.length });
      states.push(state);
      // Judge in chunks (a whole batch-mode round per chunk); memory stays bounded by the chunk.
      if (batch.length >= (provider?.maxParallelSamples ? 5000 : 256)) await flush();
    } else {
      // Nothing to wait for: the row is done with now, so it need not outlive this iteration.
      keepForDedup(sample, state, states.length);
      states.push(state);
    }
    index++;
  }
  await flush();

  // Near-duplicates, compared within a scenario; the first row of a cluster (seeds come first) is kept.
  let ruleClean = 0;
  for (const s of states) if (!s.reasons.length) ruleClean++;
  const { duplicateOf } = deduper.result();
  for (const [dup, kept] of duplicateOf) {
    const st = states[dup];
    st.duplicateOf = states[kept].id;
    st.reasons.push(`near_duplicate: of ${st.duplicateOf}`);
  }
  const duplicates = duplicateOf.size;

  // Pass 2: write every row, annotated, to accepted or rejected.
  const outDir = opts.outDir;
  const accepted = outDir ? new JsonlWriter(`${outDir}/accepted.jsonl`) : undefined;
  const rejected = outDir ? new JsonlWriter(`${outDir}/rejected.jsonl`) : undefined;
  if (outDir) {
    let i = 0;
    const annotate = (row: unknown, st: RowState) => {
      const sample = toSample(row, i);
      sample.meta = { ...(sample.meta ?? {}), ...(st.score !== undefined ? { judge: { score: st.score, reasons: st.judgeReasons ?? [], by: provider?.name ?? 'none' } } : {}), ...(st.duplicateOf ? { dedup: { duplicateOf: st.duplicateOf } } : {}) } as Sample['meta'];
      sample.reasons = st.reasons;
      (st.reasons.length ? rejected : accepted)!.write(sample);
    };
    // A row that toSample returned as it was read (the pipeline's own format), whose meta gains nothing
    // (no judge score, not a duplicate) and whose `reasons` is its last key, is copied as read with
    // only that array replaced: parsing and re-serialising 100k rows was a third of qc's time. Any
    // other row is rebuilt.
    for await (const lines of readJsonlLines(opts.input)) {
      for (const line of lines) {
        const st = states[i];
        const copied = st.asRead && st.score === undefined && !st.duplicateOf ? withReasons(line, st.reasons) : undefined;
        if (copied !== undefined) (st.reasons.length ? rejected : accepted)!.writeLine(copied);
        else annotate(JSON.parse(line), st);
        log?.progress?.('qc', ++i, states.length);
      }
    }
    accepted!.close();
    rejected!.close();
  }

  const result = summarise(cfg, states, { calls, parsed, conforming, duplicates, ruleClean }, opts.gateTools ?? tools.map((t) => t.name));
  return { ...result, states };
}


const REASONS_KEY = ',"reasons":';

/**
 * `line` (one JSON object) with its top-level `reasons` replaced, when that is its last key as
 * JSON.stringify writes it: what follows `,"reasons":` up to the closing brace must be one JSON array
 * of strings (a `reasons` key nested deeper would leave a closing bracket or brace behind it, and a
 * quote inside a string is escaped, so it cannot match). Undefined when that does not hold.
 */
export function withReasons(line: string, reasons: string[]): string | undefined {
  const end = line.trimEnd();
  if (!end.endsWith(']}')) return undefined;
  const at = end.lastIndexOf(REASONS_KEY);
  if (at < 0) return undefined;
  const tail = end.slice(at + REASONS_KEY.length, -1);
  let old: unknown;
  try {
    old = JSON.parse(tail);
  } catch {
    return undefined;
  }
  if (!Array.isArray(old) || !old.every((r) => typeof r === 'string')) return undefined;
  return `${end.slice(0, at)}${REASONS_KEY}${JSON.stringify(reasons)}}`;
}

function summarise(cfg: ForgeConfig, states: RowState[], n: { calls: number; parsed: number; conforming: number; duplicates: number; ruleClean: number }, tools: string[]): QcResult {
  const acc = states.filter((s) => !s.reasons.length);
  const rejectionsByReason: Record<string, number> = {};
  for (const s of states) for (const r of s.reasons) rejectionsByReason[reasonCode(r)] = (rejectionsByReason[reasonCode(r)] ?? 0) + 1;
  const judgeScores = states.filter((s) => s.score !== undefined).map((s) => s.score as number);
  const acceptedPerTool: Record<string, number> = {};
  for (const t of tools) acceptedPerTool[t] = 0;
  const acceptedPerScenario: Partial<Record<Scenario, number>> = {};
  for (const s of acc) {
    if (s.tool) acceptedPerTool[s.tool] = (acceptedPerTool[s.tool] ?? 0) + 1;
    acceptedPerScenario[s.scenario] = (acceptedPerScenario[s.scenario] ?? 0) + 1;
  }
  const mixRows: MixRow[] = acc.map((s) => ({ id: s.id, seedId: s.seedId, source: s.source, scenario: s.scenario, score: s.score ?? 1, tool: s.tool }));
  const projected = projectMix(mixRows, cfg);
  const metrics: QcMetrics = {
    parseRate: n.calls ? n.parsed / n.calls : 1,
    schemaConformance: n.parsed ? n.conforming / n.parsed : 1,
    duplicateRatio: n.ruleClean ? n.duplicates / n.ruleClean : 0,
    judgeScore: judgeScores.length ? judgeScores.reduce((a, b) => a + b, 0) / judgeScores.length : null,
    scenarioDeviation: projected.maxDeviation,
    finalRows: projected.selected.size,
    minSamplesPerTool: Math.min(...Object.values(acceptedPerTool).concat(tools.length ? [] : [0])),
    augmentedShare: projected.augmentedShare,
  };
  const gate = evaluateGate(metrics, cfg);
  return {
    metrics,
    gate,
    passed: gate.every((g) => g.ok),
    counts: {
      total: states.length,
      accepted: acc.length,
      rejected: states.length - acc.length,
      seeds: states.filter((s) => s.source === 'seed').length,
      augmented: states.filter((s) => s.source === 'augmented').length,
      real: states.filter((s) => s.source === 'real').length,
    },
    rejectionsByReason,
    judgeScores,
    acceptedPerTool,
    acceptedPerScenario,
  };
}
