// eval.json (everything), eval.md (the tables) and eval.html (the models side by side per category,
// the reasons, and the rows most models got wrong).
import { join } from 'node:path';
import { writeFileAtomic } from '../util/files';
import { toPlain } from './py-value';
import type { EvalReport, ModelEval, RowResult, Score } from './types';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const cell = (s: Score | undefined) => (s ? `${pct(s.accuracy)} (${s.correct}/${s.count}, 95% CI ${pct(s.ci95[0])}–${pct(s.ci95[1])})` : '–');

function categories(report: EvalReport): string[] {
  return [...new Set(report.models.flatMap((m) => Object.keys(m.categories)))].sort();
}

/** Rows failed by the most models first (then by id), at most `limit`. */
export function worstRows(report: EvalReport, limit = 20): { id: string; category: string; failedBy: number; byModel: (RowResult | undefined)[] }[] {
  const ids = new Map<string, { id: string; category: string; failedBy: number; byModel: (RowResult | undefined)[] }>();
  report.models.forEach((m, i) => {
    for (const r of m.rows) {
      const e = ids.get(r.id) ?? { id: r.id, category: r.category, failedBy: 0, byModel: new Array(report.models.length).fill(undefined) };
      e.byModel[i] = r;
      if (!r.valid) e.failedBy++;
      ids.set(r.id, e);
    }
  });
  return [...ids.values()].filter((e) => e.failedBy > 0).sort((a, b) => b.failedBy - a.failedBy || a.id.localeCompare(b.id)).slice(0, limit);
}

export function evalMarkdown(report: EvalReport): string {
  const models = report.models;
  const lines = [`# Evaluation: ${report.dataset}`, '', `${report.rows} eval rows from \`${report.truthFile}\`, scored with BFCL's AST rules.`, ''];
  lines.push(`| category | ${models.map((m) => m.model).join(' | ')} |`, `|---|${models.map(() => '---').join('|')}|`);
  for (const c of categories(report)) lines.push(`| ${c} | ${models.map((m) => cell(m.categories[c])).join(' | ')} |`);
  lines.push(`| **overall** | ${models.map((m) => `**${cell(m.overall)}**`).join(' | ')} |`, '');
  lines.push('## Why rows failed', '', `| reason | ${models.map((m) => m.model).join(' | ')} |`, `|---|${models.map(() => '---').join('|')}|`);
  const reasons = [...new Set(models.flatMap((m) => Object.keys(m.reasons)))].sort();
  for (const r of reasons) lines.push(`| ${r} | ${models.map((m) => m.reasons[r] ?? 0).join(' | ')} |`);
  lines.push('', '## Requests', '');
  for (const m of models) lines.push(`- ${m.model} at ${m.baseURL}: ${m.usage.requests} requests, ${m.usage.cacheHits} from the request cache`);
  const worst = worstRows(report);
  if (worst.length) {
    lines.push('', '## Worst rows', '', `| row | category | ${models.map((m) => m.model).join(' | ')} |`, `|---|---|${models.map(() => '---').join('|')}|`);
    for (const w of worst) lines.push(`| ${w.id} | ${w.category} | ${w.byModel.map((r) => (r ? (r.valid ? 'ok' : r.reasons.join(', ')) : '–')).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function bar(s: Score | undefined): string {
  if (!s) return '<td>–</td>';
  const w = Math.round(s.accuracy * 100);
  return `<td><div class="bar"><span style="width:${w}%"></span></div>${pct(s.accuracy)} <small>${s.correct}/${s.count} · CI ${pct(s.ci95[0])}–${pct(s.ci95[1])}</small></td>`;
}

function got(r: RowResult | undefined): string {
  if (!r) return '–';
  if (r.valid) return 'ok';
  const calls = r.turns.flatMap((t) => (t.verdict.valid ? [] : t.calls.map((c) => `${c.name}(${JSON.stringify(toPlain(c.arguments) ?? c.raw ?? '')})`)));
  return `<b>${esc(r.reasons.join(', '))}</b>${calls.length ? `<br><code>${esc(calls.join('; ').slice(0, 400))}</code>` : ''}`;
}

/** The expected calls of a row's failed turns, for the worst-rows table. */
function wanted(rows: (RowResult | undefined)[]): string {
  const r = rows.find((x) => x && !x.valid);
  if (!r) return '';
  const turns = r.turns.filter((t) => !t.verdict.valid);
  const text = turns.map((t) => (t.expected.length ? t.expected.map((c) => Object.entries(c).map(([n, p]) => `${n}(${JSON.stringify(toPlain(p))})`).join('; ')).join('; ') : 'no call')).join(' | ');
  return `<br><small>expected: <code>${esc(text.slice(0, 400))}</code></small>`;
}

export function evalHtml(report: EvalReport): string {
  const models = report.models;
  const head = `<tr><th>category</th>${models.map((m) => `<th>${esc(m.model)}</th>`).join('')}</tr>`;
  const rows = categories(report).map((c) => `<tr><td>${esc(c)}</td>${models.map((m) => bar(m.categories[c])).join('')}</tr>`);
  rows.push(`<tr class="total"><td>overall</td>${models.map((m) => bar(m.overall)).join('')}</tr>`);
  const reasons = [...new Set(models.flatMap((m) => Object.keys(m.reasons)))].sort();
  const reasonRows = reasons.map((r) => `<tr><td>${esc(r)}</td>${models.map((m) => `<td>${m.reasons[r] ?? 0}</td>`).join('')}</tr>`);
  const worst = worstRows(report).map((w) => `<tr><td>${esc(w.id)}${wanted(w.byModel)}</td><td>${esc(w.category)}</td>${w.byModel.map((r) => `<td>${got(r)}</td>`).join('')}</tr>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evaluation: ${esc(report.dataset)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
.bar{width:120px;height:8px;background:#eee;display:inline-block;margin-right:6px}.bar span{display:block;height:8px;background:#2a7}.total td{font-weight:bold}code{font-size:12px}small{color:#666}</style></head>
<body><h1>Evaluation: ${esc(report.dataset)}</h1>
<p>${report.rows} eval rows from <code>${esc(report.truthFile)}</code>, scored with BFCL's AST rules (accuracy per row; 95% Wilson interval).</p>
<h2>Categories</h2><table>${head}${rows.join('')}</table>
<h2>Why rows failed</h2><table><tr><th>reason</th>${models.map((m) => `<th>${esc(m.model)}</th>`).join('')}</tr>${reasonRows.join('')}</table>
<h2>Worst rows</h2><table><tr><th>row</th><th>category</th>${models.map((m) => `<th>${esc(m.model)}</th>`).join('')}</tr>${worst.join('') || '<tr><td colspan="9">none: every row correct</td></tr>'}</table>
<p><small>${models.map((m) => `${esc(m.model)} at ${esc(m.baseURL)}: ${m.usage.requests} requests, ${m.usage.cacheHits} cached`).join(' · ')}</small></p>
</body></html>
`;
}

/** Writes eval.json, eval.md and eval.html into `dir`; returns their paths. */
export function writeEvalReports(report: EvalReport, dir: string): { json: string; md: string; html: string } {
  const paths = { json: join(dir, 'eval.json'), md: join(dir, 'eval.md'), html: join(dir, 'eval.html') };
  const plain = { ...report, models: report.models.map((m: ModelEval) => toPlain(m)) };
  writeFileAtomic(paths.json, `${JSON.stringify(plain, null, 2)}\n`);
  writeFileAtomic(paths.md, evalMarkdown(report));
  writeFileAtomic(paths.html, evalHtml(report));
  return paths;
}
