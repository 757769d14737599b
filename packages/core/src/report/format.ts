// Text helpers shared by the report renderers. Number formatting is done by hand (not
// toLocaleString) so that the same data gives the same bytes on every machine.
import type { HistogramBin, ReportData, StageUsage } from './types';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Markdown text with raw HTML defused (a tool name like `<img src=x>` stays text). */
export function mdText(value: unknown): string {
  return String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/** A code span; backticks inside become quotes, nothing else needs escaping there. */
export function mdCode(value: unknown): string {
  return `\`${String(value).replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``;
}

/** A Markdown table cell: pipes escaped, line breaks flattened, HTML defused outside code spans. */
export function mdCell(value: unknown): string {
  const s = String(value).replace(/\r?\n/g, ' ');
  const isCode = /^`[^`]*`$/.test(s);
  return (isCode ? s : mdText(s.replace(/\\/g, '\\\\'))).replace(/\|/g, '\\|');
}

export function mdTable(head: string[], rows: unknown[][]): string {
  const line = (cells: unknown[]) => `| ${cells.map(mdCell).join(' | ')} |`;
  return [line(head), `| ${head.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n');
}

export function fmtInt(n: number): string {
  const s = Math.round(n).toString();
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function fmtUsd(n: number): string {
  return n > 0 && n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

export function fmtPct(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

export function fmtNum(n: number): string {
  return Number.isInteger(n) ? fmtInt(n) : n.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
}

export function fmtMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** Ten equal bins over 0..1 (a score of exactly 1 goes into the last one). */
export function histogram(scores: number[], bins = 10): HistogramBin[] {
  const out: HistogramBin[] = Array.from({ length: bins }, (_, i) => ({ from: i / bins, to: (i + 1) / bins, count: 0 }));
  for (const s of scores) {
    if (!Number.isFinite(s)) continue;
    const i = Math.min(bins - 1, Math.max(0, Math.floor(s * bins)));
    out[i].count += 1;
  }
  return out;
}

export function judgeBins(data: ReportData): HistogramBin[] {
  return data.judge.bins ?? histogram(data.judge.scores ?? []);
}

export function usageTotal(usage: StageUsage[]): StageUsage {
  const total: StageUsage = { stage: 'total', requests: 0, promptTokens: 0, cachedTokens: 0, completionTokens: 0, reasoningTokens: 0, usd: 0, cacheHits: 0 };
  for (const u of usage) {
    total.requests += u.requests;
    total.promptTokens += u.promptTokens;
    total.cachedTokens += u.cachedTokens;
    total.completionTokens += u.completionTokens;
    total.reasoningTokens += u.reasoningTokens;
    total.usd += u.usd;
    total.cacheHits = (total.cacheHits ?? 0) + (u.cacheHits ?? 0);
  }
  return total;
}

/** Share of prompt tokens served from OpenAI's prompt cache. */
export function cachedShare(u: StageUsage): number {
  return u.promptTokens > 0 ? u.cachedTokens / u.promptTokens : 0;
}

export function scenarioTotal(data: ReportData): number {
  return data.scenarioMix.reduce((n, r) => n + r.actual, 0);
}

export const OFFLINE_NOTICE =
  'OFFLINE BUILD: no language model was used. User turns, answers and tool results come from templates ' +
  'and schema-aware samplers, and the judge is rule-based. Use it to check the pipeline and the tools, ' +
  'not as training data of model quality. Set OPENAI_API_KEY (or generator.provider: openai) to generate with a model.';

/** The row-length table (label, value), shared by report.html, report.md and the card; none without stats. */
export function tokenRows(d: ReportData): [string, string][] {
  const t = d.tokens;
  if (!t) return [];
  return [
    ['rows counted', fmtInt(t.rows)],
    ['min tokens', fmtInt(t.min)],
    ['median tokens', fmtInt(t.median)],
    ['p95 tokens', fmtInt(t.p95)],
    ['max tokens', fmtInt(t.max)],
    ['tool list share of all tokens', fmtPct(t.toolsShare)],
    ['output.maxTokens', fmtInt(t.maxTokens)],
    ['rows dropped over it', fmtInt(t.dropped)],
  ];
}

/** One sentence on how the lengths were counted. */
export function tokenNote(d: ReportData): string {
  return d.tokens
    ? `Each row rendered as ChatML with its tool list, counted with ${d.tokens.tokenizer}. Set your trainer's max_length at or above the max (TRL's SFTConfig default is 1,024).`
    : '';
}

/** The rows of the counts table (label, value), shared by report.html, report.md and the card. */
export function countRows(d: ReportData): [string, string][] {
  const c = d.counts;
  const rows: [string, string][] = [
    ['seed samples', fmtInt(c.seeds)],
    ['augmented samples', fmtInt(c.augmented)],
    ['real (human) samples', fmtInt(c.real)],
    ['accepted by QC', fmtInt(c.accepted)],
    ['rejected by QC', fmtInt(c.rejected)],
  ];
  if (c.droppedAugmented !== undefined) rows.push(['augmented dropped (over maxAugmentedShare)', fmtInt(c.droppedAugmented)]);
  if (d.tokens) rows.push([`dropped: over output.maxTokens (${fmtInt(d.tokens.maxTokens)} tokens)`, fmtInt(d.tokens.dropped)]);
  rows.push(['train rows', fmtInt(c.train)], ['eval rows', fmtInt(c.eval)]);
  return rows;
}
