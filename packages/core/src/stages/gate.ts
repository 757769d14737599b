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
  minSamplesPerTool: number;
  augmentedShare: number;
}

export interface GateRow {
  metric: string;
  value: number | null;
  threshold: string;
  ok: boolean;
}

export function evaluateGate(m: QcMetrics, cfg: ForgeConfig): GateRow[] {
  const t = cfg.thresholds;
  const rows: GateRow[] = [
    { metric: 'parseRate', value: m.parseRate, threshold: `>= ${t.parseRate}`, ok: m.parseRate >= t.parseRate },
    { metric: 'schemaConformance', value: m.schemaConformance, threshold: `>= ${t.schemaConformance}`, ok: m.schemaConformance >= t.schemaConformance },
    { metric: 'duplicateRatio', value: m.duplicateRatio, threshold: `< ${t.duplicateRatio}`, ok: m.duplicateRatio < t.duplicateRatio },
    { metric: 'judgeScore', value: m.judgeScore, threshold: `>= ${t.judgeScore}`, ok: m.judgeScore === null || m.judgeScore >= t.judgeScore },
    { metric: 'scenarioDeviation', value: m.scenarioDeviation, threshold: `<= ${t.scenarioTolerance}`, ok: m.scenarioDeviation <= t.scenarioTolerance + 1e-9 },
    { metric: 'minSamplesPerTool', value: m.minSamplesPerTool, threshold: `>= ${t.minSamplesPerTool}`, ok: m.minSamplesPerTool >= t.minSamplesPerTool },
    { metric: 'augmentedShare', value: m.augmentedShare, threshold: `<= ${cfg.mix.maxAugmentedShare}`, ok: m.augmentedShare <= cfg.mix.maxAugmentedShare + 1e-9 },
  ];
  return rows;
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
