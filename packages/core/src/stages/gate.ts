// The QC gate: metrics against thresholds. A missed threshold fails the qc target (and the CLI) with
// a table of metric / value / threshold.
import type { ForgeConfig } from '../config/types';

export interface QcMetrics {
  parseRate: number;
  schemaConformance: number;
  duplicateRatio: number;
  /** Mean judge score; null when no row was judged. */
  judgeScore: number | null;
  /** Largest |actual − target| share over the scenarios of the projected final set. */
  scenarioDeviation: number;
  /** Rows of the projected final set (a share can only move in steps of one row). */
  finalRows?: number;
  minSamplesPerTool: number;
  augmentedShare: number;
}

export interface GateRow {
  metric: string;
  value: number | null;
  /** Readable threshold (`>= 0.98`). */
  threshold: string;
  comparator: '>=' | '<=' | '<' | '>';
  limit: number;
  ok: boolean;
}

function row(metric: string, value: number | null, comparator: GateRow['comparator'], limit: number, ok: boolean, threshold = `${comparator} ${limit}`): GateRow {
  return { metric, value, threshold, comparator, limit, ok };
}

export function evaluateGate(m: QcMetrics, cfg: ForgeConfig): GateRow[] {
  const t = cfg.thresholds;
  const rows: GateRow[] = [
    row('parseRate', m.parseRate, '>=', t.parseRate, m.parseRate >= t.parseRate),
    row('schemaConformance', m.schemaConformance, '>=', t.schemaConformance, m.schemaConformance >= t.schemaConformance),
    row('duplicateRatio', m.duplicateRatio, '<', t.duplicateRatio, m.duplicateRatio < t.duplicateRatio),
    row('judgeScore', m.judgeScore, '>=', t.judgeScore, m.judgeScore === null || m.judgeScore >= t.judgeScore),
    scenarioRow(m, t.scenarioTolerance),
    row('minSamplesPerTool', m.minSamplesPerTool, '>=', t.minSamplesPerTool, m.minSamplesPerTool >= t.minSamplesPerTool),
    row('augmentedShare', m.augmentedShare, '<=', cfg.mix.maxAugmentedShare, m.augmentedShare <= cfg.mix.maxAugmentedShare + 1e-9),
  ];
  return rows;
}

/** A small set cannot match a share closer than one row: the tolerance is never below 1/rows. */
function scenarioRow(m: QcMetrics, tolerance: number): GateRow {
  const step = m.finalRows ? 1 / m.finalRows : 0;
  const limit = Math.max(tolerance, step);
  const threshold = limit > tolerance ? `<= ${limit.toFixed(4)} (one row of ${m.finalRows})` : `<= ${tolerance}`;
  return row('scenarioDeviation', m.scenarioDeviation, '<=', limit, m.scenarioDeviation <= limit + 1e-9, threshold);
}

function fmt(v: number | null): string {
  if (v === null) return 'n/a';
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

export function formatGateTable(rows: GateRow[]): string {
  const header = ['metric', 'value', 'threshold', 'status'];
  const body = rows.map((r) => [r.metric, fmt(r.value), r.threshold, r.ok ? 'ok' : 'MISSED']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}
