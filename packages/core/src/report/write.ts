// Writes report.json, report.html, report.md and the dataset card README.md from the stage outputs.
// Nothing time-dependent goes in, so an unchanged build writes the same bytes.
import { copyFileSync, existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { StageContext } from '../pipeline';
import type { SynthesizeResult } from '../stages/synthesize';
import type { ToolDef, Usage } from '../types';
import { formatFilePaths } from '../formats';
import { renderReportHtml } from './html';
import { renderReportMarkdown } from './markdown';
import { renderDatasetCard } from './card';
import { histogram } from './format';
import type { QcMetric, ReportData, StageUsage } from './types';
import { writeFileAtomic, writeJsonAtomic } from '../util/files';
import { serverLabel } from '../mcp/connect';

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

function stageUsage(stage: string, u?: Usage): StageUsage {
  return { stage, requests: u?.requests ?? 0, promptTokens: u?.promptTokens ?? 0, cachedTokens: u?.cachedTokens ?? 0, completionTokens: u?.completionTokens ?? 0, reasoningTokens: u?.reasoningTokens ?? 0, usd: u?.usd ?? 0, cacheHits: u?.cacheHits ?? 0 };
}

export function buildReportData(ctx: StageContext, result: SynthesizeResult, tools: ToolDef[]): ReportData {
  const { cfg, outDir } = ctx;
  const usage = readJson<GenerateUsage>(join(outDir, 'usage.json'));
  const augment = readJson<{ usage?: Usage; produced?: number; factor?: number; substitutions?: Record<string, number> }>(join(outDir, 'augment.json'));
  const qc = readJson<{
    usage?: Usage;
    counts?: { accepted: number; rejected: number };
    gate?: { metric: string; value: number | null; comparator: QcMetric['comparator']; limit: number; ok: boolean }[];
    rejectionsByReason?: Record<string, number>;
    judgeScores?: number[];
  }>(join(outDir, 'qc.json'));
  const total = result.counts.train + result.counts.eval;
  const qcMetrics: QcMetric[] = (qc?.gate ?? [])
    .filter((g) => g.value !== null)
    .map((g) => ({ metric: g.metric, value: g.value as number, threshold: g.limit, comparator: g.comparator, pass: g.ok }));
  const used = new Set(tools.map((t) => t.name));
  const stages = [stageUsage('generate', usage?.usage), stageUsage('augment', augment?.usage), stageUsage('judge', qc?.usage)];
  return {
    datasetName: ctx.name,
    description: cfg.description,
    provider: ctx.resolved,
    model: usage?.model ?? cfg.generator.model,
    judge: { enabled: cfg.judge.enabled, model: ctx.resolved === 'openai' ? cfg.judge.model : 'rule-based', minScore: cfg.judge.minScore, bins: histogram(qc?.judgeScores ?? []) },
    // The same labels as the lock file: secrets in URLs (tokens in the query) are masked.
    servers: cfg.servers.map(serverLabel),
    config: {
      samples: cfg.samples,
      seed: cfg.seed,
      execution: cfg.execution,
      // The pool factor augment used (augmentation.factor, or the cap's when it is unset).
      augmentationFactor: augment?.factor ?? cfg.augmentation.factor ?? 1,
      strategies: cfg.augmentation.strategies as Record<string, number>,
      dedupThreshold: cfg.dedup.threshold,
      maxAugmentedShare: cfg.mix.maxAugmentedShare,
      evalShare: cfg.mix.split.eval,
      formats: cfg.output.formats,
      batch: cfg.generator.batch,
      reasoningEffort: cfg.generator.reasoningEffort,
      budgetUsd: cfg.budget.maxUsd,
    },
    scenarioMix: [...new Set([...Object.keys(cfg.scenarios), ...Object.keys(result.actualMix)])].map((s) => ({
      scenario: s,
      target: cfg.scenarios[s as keyof typeof cfg.scenarios] ?? 0,
      actual: result.actualMix[s as keyof typeof result.actualMix] ?? 0,
    })),
    samplesPerTool: Object.entries(result.samplesPerTool)
      .filter(([t]) => used.has(t))
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([tool, samples]) => ({ tool, samples })),
    counts: {
      seeds: result.counts.seeds,
      augmented: result.counts.augmented,
      accepted: qc?.counts?.accepted ?? total,
      rejected: qc?.counts?.rejected ?? 0,
      real: result.counts.real,
      train: result.counts.train,
      eval: result.counts.eval,
      droppedAugmented: result.counts.droppedAugmented,
      files: result.files.map((f) => ({ format: f.format, split: f.split, path: formatFilePaths(f.format)[f.split], rows: f.rows })),
    },
    rejections: Object.entries(qc?.rejectionsByReason ?? {})
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([reason, count]) => ({ reason, count })),
    usage: stages,
    yield: yieldOf(qc?.counts, total, stages),
    qc: qcMetrics,
    warnings: [...generateNotes(usage), ...substitutionNotes(augment?.substitutions ?? {}), ...tokenNotes(result)],
    tokens: result.tokens,
  };
}

/** Rows QC saw, rows kept, and the model cost and requests per kept row. */
function yieldOf(qc: { accepted: number; rejected: number } | undefined, finalRows: number, stages: StageUsage[]): ReportData['yield'] {
  const usd = stages.reduce((n, u) => n + u.usd, 0);
  const requests = stages.reduce((n, u) => n + u.requests, 0);
  return {
    rowsBeforeQc: qc ? qc.accepted + qc.rejected : finalRows,
    finalRows,
    usdPerFinalRow: finalRows ? usd / finalRows : 0,
    requestsPerFinalRow: finalRows ? requests / finalRows : 0,
  };
}

interface GenerateUsage {
  model?: string;
  usage?: Usage;
  topUp?: { rounds: number; replacements: number; recovered: number; unmet?: Record<string, number> };
  repair?: { repairs: number; repaired: number };
}

/** Top-up replacements and repair requests of the generate stage, as notes. */
function generateNotes(u: GenerateUsage | undefined): string[] {
  const notes: string[] = [];
  const t = u?.topUp;
  if (t?.replacements) {
    const unmet = Object.entries(t.unmet ?? {}).map(([s, n]) => `${n} ${s}`).join(', ');
    notes.push(`generate: ${t.replacements} replacement${t.replacements === 1 ? '' : 's'} for rejected items in ${t.rounds} top-up round${t.rounds === 1 ? '' : 's'}, ${t.recovered} accepted${unmet ? `; still short: ${unmet}` : ''}`);
  }
  if (u?.repair?.repairs) notes.push(`generate: ${u.repair.repairs} repair request${u.repair.repairs === 1 ? '' : 's'} for arguments that failed validation, ${u.repair.repaired} corrected`);
  return notes;
}

/** Copies through a temporary file and a rename: atomic, and the dataset never passes through memory. */
function copyFileAtomic(from: string, to: string): void {
  const tmp = `${to}.tmp-${process.pid}`;
  copyFileSync(from, tmp);
  renameSync(tmp, to);
}

/** A loud note when rows were over output.maxTokens. */
function tokenNotes(result: SynthesizeResult): string[] {
  const t = result.tokens;
  if (!t || t.dropped === 0) return [];
  return [`output.maxTokens: ${t.dropped} row${t.dropped === 1 ? ' was' : 's were'} longer than ${t.maxTokens} tokens (longest ${t.longestDropped}) and dropped from every format`];
}

/** `{"context->multi_turn: why": 2}` -> "augmentation: 2 rows used multi_turn instead of context (why)", most frequent first. */
function substitutionNotes(subs: Record<string, number>): string[] {
  return Object.entries(subs)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([key, n]) => {
      const m = /^(\w+)->(\w+): (.+)$/.exec(key);
      const rows = `${n} row${n === 1 ? '' : 's'}`;
      return m ? `augmentation: ${rows} used ${m[2]} instead of ${m[1]} (${m[3]})` : `augmentation: ${rows}: ${key}`;
    });
}

export function writeReports(opts: { ctx: StageContext; result: SynthesizeResult; tools: ToolDef[] }): ReportData {
  const { ctx, result, tools } = opts;
  const data = buildReportData(ctx, result, tools);
  writeJsonAtomic(join(ctx.outDir, 'report.json'), data);
  writeFileAtomic(join(ctx.outDir, 'report.html'), renderReportHtml(data));
  writeFileAtomic(join(ctx.outDir, 'report.md'), renderReportMarkdown(data));
  writeFileAtomic(join(ctx.outDir, 'README.md'), renderDatasetCard(data));
  // The primary (first) format also at the top level, for trainers that take one file per split.
  const primary = ctx.cfg.output.formats[0];
  const paths = formatFilePaths(primary);
  copyFileAtomic(join(ctx.outDir, paths.train), join(ctx.outDir, 'train.jsonl'));
  copyFileAtomic(join(ctx.outDir, paths.eval), join(ctx.outDir, 'eval.jsonl'));
  return data;
}
