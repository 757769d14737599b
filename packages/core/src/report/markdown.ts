// report.md: the same facts as report.html, as Markdown tables (for CI logs, PR comments, terminals).
import {
  cachedShare,
  fmtInt,
  fmtMs,
  fmtNum,
  fmtPct,
  fmtUsd,
  judgeBins,
  mdCode,
  mdTable,
  mdText,
  OFFLINE_NOTICE,
  scenarioTotal,
  usageTotal,
  countRows,
  tokenNote,
  tokenRows,
} from './format';
import type { ReportData, StageUsage } from './types';

export function renderReportMarkdown(data: ReportData): string {
  const out: string[] = [];
  const total = usageTotal(data.usage);
  const mixTotal = scenarioTotal(data);
  out.push(`# ${mdText(oneLine(data.datasetName))}: build report`, '');
  out.push(`Provider **${data.provider}**, model ${mdCode(data.model)}${data.generatedAt ? `, built ${data.generatedAt}` : ''}.`, '');
  if (data.provider === 'offline') out.push(`> **${OFFLINE_NOTICE}**`, '');
  if (data.warnings?.length) out.push('**Build notes:**', '', ...data.warnings.map((w) => `- ${mdText(oneLine(w))}`), '');
  const failed = data.qc.filter((m) => !m.pass);
  out.push(failed.length ? `**QC gate missed:** ${failed.map((m) => m.metric).join(', ')}` : '**QC gate passed.**', '');
  out.push(
    `${fmtInt(data.counts.train + data.counts.eval)} rows (${fmtInt(data.counts.train)} train, ${fmtInt(data.counts.eval)} eval), ` +
      `${fmtInt(data.counts.rejected)} rejected, model cost ${fmtUsd(total.usd)}, ${fmtPct(cachedShare(total))} of prompt tokens cached` +
      `${data.timing ? `, built in ${fmtMs(data.timing.totalMs)}` : ''}.`,
    '',
  );
  if (data.yield) {
    const y = data.yield;
    out.push(`${fmtInt(y.rowsBeforeQc)} rows before QC, ${fmtInt(y.finalRows)} in the final set: ${fmtUsd(y.usdPerFinalRow)} and ${fmtNum(y.requestsPerFinalRow)} model requests per final row.`, '');
  }

  out.push('## Quality gate', '', mdTable(['metric', 'value', 'threshold', 'result'], data.qc.map((m) => [m.metric, fmtNum(m.value), `${m.comparator} ${fmtNum(m.threshold)}`, m.pass ? 'pass' : '**MISS**'])), '');
  out.push('## Counts', '', countsTable(data), '');
  if (data.tokens) out.push('## Row lengths (tokens)', '', mdTable(['statistic', 'value'], tokenRows(data)), '', tokenNote(data), '');
  out.push('## Files', '', mdTable(['format', 'split', 'path', 'rows'], data.counts.files.map((f) => [f.format, f.split, mdCode(f.path), fmtInt(f.rows)])), '');
  out.push('## Scenario mix', '', mdTable(['scenario', 'target', 'actual rows', 'actual share'], data.scenarioMix.map((m) => [m.scenario, fmtPct(m.target), fmtInt(m.actual), fmtPct(mixTotal ? m.actual / mixTotal : 0)])), '');
  out.push('## Samples per tool', '', data.samplesPerTool.length ? mdTable(['tool', 'samples'], data.samplesPerTool.map((t) => [mdCode(t.tool), fmtInt(t.samples)])) : '_No tools._', '');
  out.push('## Rejections by reason', '', data.rejections.length ? mdTable(['reason', 'rows'], data.rejections.map((x) => [x.reason, fmtInt(x.count)])) : '_No rejections._', '');
  out.push('## Judge scores', '', judgeSection(data), '');
  out.push('## Tokens and cost by stage', '', usageTable([...data.usage, total]), '');
  if (data.timing?.stages?.length) out.push('## Time by stage', '', mdTable(['stage', 'time'], data.timing.stages.map((t) => [t.stage, fmtMs(t.ms)])), '');
  return `${out.join('\n').trimEnd()}\n`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ');
}

export function countsTable(d: ReportData): string {
  return mdTable(['count', 'value'], countRows(d));
}

export function usageTable(usage: StageUsage[]): string {
  return mdTable(
    ['stage', 'requests', 'cache hits', 'prompt tokens', 'cached', 'completion', 'reasoning', 'cost'],
    usage.map((u) => [u.stage, fmtInt(u.requests), fmtInt(u.cacheHits ?? 0), fmtInt(u.promptTokens), `${fmtInt(u.cachedTokens)} (${fmtPct(cachedShare(u))})`, fmtInt(u.completionTokens), fmtInt(u.reasoningTokens), fmtUsd(u.usd)]),
  );
}

function judgeSection(d: ReportData): string {
  if (!d.judge.enabled) return '_The judge was disabled._';
  const bins = judgeBins(d);
  const max = Math.max(1, ...bins.map((b) => b.count));
  const rows = bins.map((b) => [`${b.from.toFixed(1)}–${b.to.toFixed(1)}`, fmtInt(b.count), '█'.repeat(Math.round((20 * b.count) / max))]);
  return `Judge ${mdCode(d.judge.model ?? '')}, pass at ${fmtNum(d.judge.minScore)}.\n\n${mdTable(['score', 'rows', ''], rows)}`;
}
