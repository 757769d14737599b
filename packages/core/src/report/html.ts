// report.html: one self-contained file (inline CSS and SVG, no scripts, fonts or network loads).
// Every value is HTML-escaped; chart ids are stable so tests and users can find them.
import { groupedBarChart, histogramChart, horizontalBarChart, PALETTE, stackedBarChart } from './charts';
import {
  cachedShare,
  escapeHtml as esc,
  fmtInt,
  fmtMs,
  fmtNum,
  fmtPct,
  fmtUsd,
  judgeBins,
  OFFLINE_NOTICE,
  scenarioTotal,
  usageTotal,
  countRows,
  tokenNote,
  tokenRows,
} from './format';
import type { ReportData } from './types';

export const CHART_IDS = ['chart-scenario-mix', 'chart-samples-per-tool', 'chart-rejections', 'chart-judge-scores', 'chart-usage'] as const;

const CSS = `
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
main{max-width:980px;margin:0 auto;padding:24px}
h1{margin:0 0 4px;font-size:26px}h2{margin:32px 0 8px;font-size:19px}
.sub{color:#5a6475;margin:0 0 16px}
.banner{padding:14px 18px;border-radius:8px;margin:16px 0;font-weight:600}
.offline{background:#fff1e0;border:2px solid #e08a1e;color:#7a3d00;font-size:16px}
.online{background:#e9f4ec;border:1px solid #2f9e5b;color:#1b5e36}
.fail{background:#fdecea;border:2px solid #c8413b;color:#7d1d18}
.notes{background:#fff;border:1px solid #e1e4ea;border-left:4px solid #8a94a6;border-radius:8px;margin:16px 0;padding:10px 16px;font-size:14px;color:#3d4656}
.notes ul{margin:6px 0 0;padding-left:20px}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.tile{background:#fff;border:1px solid #e1e4ea;border-radius:8px;padding:10px 12px}
.tile b{display:block;font-size:20px}.tile span{color:#5a6475;font-size:12px}
figure{background:#fff;border:1px solid #e1e4ea;border-radius:8px;margin:0 0 12px;padding:12px}
figcaption{font-weight:600;margin-bottom:6px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
th,td{border:1px solid #e1e4ea;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#1b7a43;font-weight:700}.miss{color:#b3261e;font-weight:700}
code{background:#eef0f3;padding:1px 4px;border-radius:4px}
footer{color:#7a8394;font-size:12px;margin-top:32px}
`;

type Cell = string | number | { html: string };

function table(head: string[], rows: Cell[][], numeric: number[] = []): string {
  const cell = (c: Cell, i: number, tag: string) => {
    const cls = numeric.includes(i) && tag === 'td' ? ' class="n"' : '';
    const body = typeof c === 'object' ? c.html : esc(c);
    return `<${tag}${cls}>${body}</${tag}>`;
  };
  const thead = `<tr>${head.map((h, i) => cell(h, i, 'th')).join('')}</tr>`;
  const tbody = rows.map((row) => `<tr>${row.map((c, i) => cell(c, i, 'td')).join('')}</tr>`).join('');
  return `<table><thead>${thead}</thead><tbody>${tbody}</tbody></table>`;
}

function figure(title: string, svg: string, note?: string): string {
  return `<figure><figcaption>${esc(title)}</figcaption>${svg}${note ? `<p class="sub">${esc(note)}</p>` : ''}</figure>`;
}

function tile(value: string, label: string): string {
  return `<div class="tile"><b>${esc(value)}</b><span>${esc(label)}</span></div>`;
}

export function renderReportHtml(data: ReportData): string {
  const total = usageTotal(data.usage);
  const rows = data.counts.train + data.counts.eval;
  const failed = data.qc.filter((m) => !m.pass);
  const mixTotal = scenarioTotal(data);
  const s: string[] = [];
  s.push('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">');
  s.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  s.push(`<title>${esc(`${data.datasetName}: mcp-forge report`)}</title><style>${CSS}</style></head><body><main>`);
  s.push(`<h1>${esc(data.datasetName)}</h1>`);
  const when = data.generatedAt ? ` · built ${data.generatedAt}` : '';
  s.push(`<p class="sub">${esc(`${data.description ?? 'Tool-calling dataset'} · provider ${data.provider} · model ${data.model}${when}`)}</p>`);
  if (data.provider === 'offline') s.push(`<div id="offline-banner" class="banner offline">${esc(OFFLINE_NOTICE)}</div>`);
  else s.push(`<div class="banner online">${esc(`Generated with ${data.model} through the OpenAI-compatible API.`)}</div>`);
  if (failed.length > 0) s.push(`<div class="banner fail">${esc(`QC gate missed: ${failed.map((m) => m.metric).join(', ')}`)}</div>`);
  // Notes (e.g. augmentation strategy substitutions) are information, not alarms: one quiet box.
  if (data.warnings?.length) s.push(`<div id="build-notes" class="notes"><b>Build notes</b><ul>${data.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></div>`);

  s.push('<div class="tiles">');
  s.push(tile(fmtInt(rows), 'rows (train + eval)'), tile(fmtInt(data.counts.train), 'train'), tile(fmtInt(data.counts.eval), 'eval'));
  s.push(tile(fmtInt(data.counts.rejected), 'rejected'), tile(fmtUsd(total.usd), 'model cost'), tile(fmtPct(cachedShare(total)), 'cached prompt tokens'));
  if (data.yield) s.push(tile(fmtInt(data.yield.rowsBeforeQc), 'rows before QC'), tile(fmtUsd(data.yield.usdPerFinalRow), 'cost per final row'), tile(fmtNum(data.yield.requestsPerFinalRow), 'requests per final row'));
  if (data.timing) s.push(tile(fmtMs(data.timing.totalMs), 'build time'));
  s.push('</div>');

  s.push('<h2>Quality gate</h2>');
  s.push(
    table(
      ['metric', 'value', 'threshold', 'result'],
      data.qc.map((m) => [m.metric, fmtNum(m.value), `${m.comparator} ${fmtNum(m.threshold)}`, { html: m.pass ? '<span class="pass">pass</span>' : '<span class="miss">MISS</span>' }]),
      [1],
    ),
  );

  s.push('<h2>Charts</h2>');
  s.push(
    figure(
      'Scenario mix: target vs actual',
      groupedBarChart({
        id: 'chart-scenario-mix',
        title: 'Scenario mix, target vs actual share',
        categories: data.scenarioMix.map((m) => m.scenario),
        series: [
          { name: 'target', color: PALETTE.grey, values: data.scenarioMix.map((m) => m.target) },
          { name: 'actual', color: PALETTE.blue, values: data.scenarioMix.map((m) => (mixTotal ? m.actual / mixTotal : 0)) },
        ],
        format: (n) => fmtPct(n, 0),
      }),
    ),
  );
  s.push(figure('Samples per tool', horizontalBarChart({ id: 'chart-samples-per-tool', title: 'Samples per tool', rows: data.samplesPerTool.map((t) => ({ label: t.tool, value: t.samples })), color: PALETTE.teal, format: fmtInt })));
  s.push(figure('Rejections by reason', horizontalBarChart({ id: 'chart-rejections', title: 'Rejections by reason', rows: data.rejections.map((x) => ({ label: x.reason, value: x.count })), color: PALETTE.red, format: fmtInt })));
  const judgeNote = data.judge.enabled ? `Judge: ${data.judge.model ?? ''}; rows scored below ${fmtNum(data.judge.minScore)} are rejected.` : 'The judge was disabled.';
  s.push(figure('Judge scores', histogramChart({ id: 'chart-judge-scores', title: 'Judge score histogram', bins: judgeBins(data), marker: data.judge.enabled ? { value: data.judge.minScore, label: `min ${fmtNum(data.judge.minScore)}` } : undefined }), judgeNote));
  s.push(
    figure(
      'Tokens and cost by stage',
      stackedBarChart({
        id: 'chart-usage',
        title: 'Tokens and cost by stage',
        parts: [
          { name: 'prompt (uncached)', color: PALETTE.blue },
          { name: 'prompt (cached)', color: PALETTE.teal },
          { name: 'completion', color: PALETTE.orange },
          { name: 'reasoning', color: PALETTE.purple },
        ],
        rows: data.usage.map((u) => ({
          label: u.stage,
          values: [u.promptTokens - u.cachedTokens, u.cachedTokens, u.completionTokens - u.reasoningTokens, u.reasoningTokens],
          note: fmtUsd(u.usd),
        })),
        format: fmtInt,
      }),
      data.provider === 'offline' ? 'Offline build: no model was called, so no tokens were used.' : undefined,
    ),
  );

  s.push('<h2>Counts</h2>', countsTable(data));
  if (data.tokens) s.push('<h2 id="row-lengths">Row lengths (tokens)</h2>', table(['statistic', 'value'], tokenRows(data), [1]), `<p class="sub">${esc(tokenNote(data))}</p>`);
  s.push('<h2>Files</h2>', table(['format', 'split', 'path', 'rows'], data.counts.files.map((f) => [f.format, f.split, { html: `<code>${esc(f.path)}</code>` }, fmtInt(f.rows)]), [3]));
  s.push('<h2>Usage by stage</h2>', usageTable(data));
  s.push('<h2>Scenarios</h2>', table(['scenario', 'target', 'actual rows', 'actual share'], data.scenarioMix.map((m) => [m.scenario, fmtPct(m.target), fmtInt(m.actual), fmtPct(mixTotal ? m.actual / mixTotal : 0)]), [1, 2, 3]));
  s.push('<h2>Configuration</h2>', configTable(data));
  if (data.timing?.stages?.length) s.push('<h2>Time by stage</h2>', table(['stage', 'time'], data.timing.stages.map((t) => [t.stage, fmtMs(t.ms)]), [1]));
  s.push('<footer>Report written by mcp-forge. This file loads nothing from the network.</footer>');
  s.push('</main></body></html>\n');
  return s.join('\n');
}

function countsTable(d: ReportData): string {
  return table(['count', 'value'], countRows(d), [1]);
}

function usageTable(d: ReportData): string {
  const rows = [...d.usage, usageTotal(d.usage)].map((u) => [
    u.stage,
    fmtInt(u.requests),
    fmtInt(u.cacheHits ?? 0),
    fmtInt(u.promptTokens),
    `${fmtInt(u.cachedTokens)} (${fmtPct(cachedShare(u))})`,
    fmtInt(u.completionTokens),
    fmtInt(u.reasoningTokens),
    fmtUsd(u.usd),
  ]);
  return table(['stage', 'requests', 'cache hits', 'prompt', 'cached', 'completion', 'reasoning', 'cost'], rows, [1, 2, 3, 4, 5, 6, 7]);
}

function configTable(d: ReportData): string {
  const c = d.config;
  const rows: Cell[][] = [
    ['servers', d.servers.join(', ') || '(none)'],
    ['provider / model', `${d.provider} / ${d.model}`],
    ['seed samples requested', fmtInt(c.samples)],
    ['random seed', String(c.seed)],
    ['tool execution', c.execution],
    ['augmentation factor', fmtNum(c.augmentationFactor)],
  ];
  if (c.strategies) rows.push(['augmentation strategies', Object.entries(c.strategies).map(([k, v]) => `${k} ${fmtNum(v)}`).join(', ')]);
  rows.push(
    ['judge', d.judge.enabled ? `${d.judge.model ?? ''} (min score ${fmtNum(d.judge.minScore)})` : 'disabled'],
    ['dedup threshold (Jaccard)', fmtNum(c.dedupThreshold)],
    ['max augmented share', fmtPct(c.maxAugmentedShare, 0)],
    ['eval share', fmtPct(c.evalShare, 0)],
    ['formats', c.formats.join(', ')],
  );
  if (c.batch !== undefined) rows.push(['Batch API', c.batch ? 'on' : 'off']);
  if (c.reasoningEffort) rows.push(['reasoning effort', c.reasoningEffort]);
  if (c.budgetUsd !== undefined) rows.push(['budget', fmtUsd(c.budgetUsd)]);
  return table(['setting', 'value'], rows);
}
