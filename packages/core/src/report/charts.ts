// Inline SVG charts for report.html: plain strings, no scripts, no external resources. Every bar
// carries a <title> (the browser shows it as a tooltip) so exact values are one hover away.
import { escapeHtml as esc } from './format';

export const PALETTE = {
  blue: '#3b6fd8',
  orange: '#e08a1e',
  green: '#2f9e5b',
  red: '#c8413b',
  purple: '#7b55c7',
  teal: '#1f9aa6',
  grey: '#8a94a6',
};

const WIDTH = 760;
const FONT = 'font-family="system-ui, sans-serif" font-size="12"';

function open(id: string, title: string, height: number): string {
  return `<svg id="${esc(id)}" role="img" aria-label="${esc(title)}" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" ${FONT}>`;
}

function empty(id: string, title: string): string {
  return `${open(id, title, 80)}<text x="${WIDTH / 2}" y="45" text-anchor="middle" fill="#667">No data</text></svg>`;
}

function short(label: string, max: number): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const m = v / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/**
 * How many grid steps to draw up to `max` (a niceMax) so that every tick is a round value:
 * 0.5 -> 0.1 steps, 200 -> 50, 1 -> 0.2. Integer axes never get steps below 1.
 */
function tickSteps(max: number, integer = false): number {
  const m = max / 10 ** Math.floor(Math.log10(max));
  const steps = Math.abs(m - 2) < 1e-9 ? 4 : 5;
  return integer ? Math.max(1, Math.min(steps, Math.round(max))) : steps;
}

function r(n: number): string {
  return (Math.round(n * 10) / 10).toString();
}

function legend(items: { name: string; color: string }[], y: number, x0 = 60): string {
  let x = x0;
  return items
    .map((it) => {
      const s = `<rect x="${r(x)}" y="${y - 10}" width="12" height="12" fill="${it.color}"/><text x="${r(x + 16)}" y="${y}">${esc(it.name)}</text>`;
      x += 28 + it.name.length * 7;
      return s;
    })
    .join('');
}

export interface Series {
  name: string;
  color: string;
  values: number[];
}

/** Vertical grouped bars: one group per category, one bar per series. */
export function groupedBarChart(o: { id: string; title: string; categories: string[]; series: Series[]; format: (n: number) => string }): string {
  const all = o.series.flatMap((s) => s.values);
  if (o.categories.length === 0 || all.every((v) => !v)) return empty(o.id, o.title);
  const height = 300;
  const left = 60;
  const top = 40;
  const bottom = 30;
  const plotH = height - top - bottom;
  const plotW = WIDTH - left - 20;
  const max = niceMax(Math.max(...all));
  const groupW = plotW / o.categories.length;
  const barW = Math.min(36, (groupW * 0.8) / o.series.length);
  const parts: string[] = [open(o.id, o.title, height), legend(o.series, 20, left)];
  const steps = tickSteps(max);
  for (let i = 0; i <= steps; i++) {
    const v = (max * i) / steps;
    const y = top + plotH - (plotH * i) / steps;
    parts.push(`<line x1="${left}" x2="${WIDTH - 20}" y1="${r(y)}" y2="${r(y)}" stroke="#e3e6eb"/>`);
    parts.push(`<text x="${left - 6}" y="${r(y + 4)}" text-anchor="end" fill="#556">${esc(o.format(v))}</text>`);
  }
  o.categories.forEach((cat, c) => {
    const gx = left + groupW * c + (groupW - barW * o.series.length) / 2;
    o.series.forEach((s, k) => {
      const v = s.values[c] ?? 0;
      const h = (plotH * v) / max;
      const x = gx + barW * k;
      parts.push(
        `<rect x="${r(x)}" y="${r(top + plotH - h)}" width="${r(barW - 2)}" height="${r(h)}" fill="${s.color}"><title>${esc(`${cat} ${s.name}: ${o.format(v)}`)}</title></rect>`,
      );
    });
    parts.push(`<text x="${r(left + groupW * c + groupW / 2)}" y="${height - bottom + 18}" text-anchor="middle">${esc(short(cat, 16))}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Horizontal bars, one per row, value written at the end of the bar. */
export function horizontalBarChart(o: { id: string; title: string; rows: { label: string; value: number }[]; color: string; format: (n: number) => string }): string {
  if (o.rows.length === 0 || o.rows.every((x) => !x.value)) return empty(o.id, o.title);
  const rowH = 24;
  const left = 230;
  const top = 10;
  const height = top + rowH * o.rows.length + 10;
  const plotW = WIDTH - left - 80;
  const max = Math.max(...o.rows.map((x) => x.value));
  const parts = [open(o.id, o.title, height)];
  o.rows.forEach((row, i) => {
    const y = top + rowH * i;
    const w = max > 0 ? (plotW * row.value) / max : 0;
    parts.push(`<text x="${left - 8}" y="${y + 16}" text-anchor="end">${esc(short(row.label, 34))}</text>`);
    parts.push(`<rect x="${left}" y="${y + 4}" width="${r(w)}" height="${rowH - 8}" fill="${o.color}"><title>${esc(`${row.label}: ${o.format(row.value)}`)}</title></rect>`);
    parts.push(`<text x="${r(left + w + 6)}" y="${y + 16}" fill="#334">${esc(o.format(row.value))}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Histogram over 0..1 with an optional vertical marker (the pass threshold). */
export function histogramChart(o: { id: string; title: string; bins: { from: number; to: number; count: number }[]; marker?: { value: number; label: string } }): string {
  if (o.bins.length === 0 || o.bins.every((b) => b.count === 0)) return empty(o.id, o.title);
  const height = 260;
  const left = 60;
  const top = 20;
  const bottom = 40;
  const plotH = height - top - bottom;
  const plotW = WIDTH - left - 20;
  const lo = o.bins[0].from;
  const hi = o.bins[o.bins.length - 1].to;
  const xOf = (v: number) => left + (plotW * (v - lo)) / (hi - lo || 1);
  const max = niceMax(Math.max(...o.bins.map((b) => b.count)));
  const parts = [open(o.id, o.title, height)];
  const steps = tickSteps(max, true);
  for (let i = 0; i <= steps; i++) {
    const y = top + plotH - (plotH * i) / steps;
    parts.push(`<line x1="${left}" x2="${WIDTH - 20}" y1="${r(y)}" y2="${r(y)}" stroke="#e3e6eb"/>`);
    parts.push(`<text x="${left - 6}" y="${r(y + 4)}" text-anchor="end" fill="#556">${esc(String(Math.round((max * i) / steps)))}</text>`);
  }
  for (const b of o.bins) {
    const h = (plotH * b.count) / max;
    const x = xOf(b.from);
    const w = xOf(b.to) - x;
    parts.push(
      `<rect x="${r(x + 1)}" y="${r(top + plotH - h)}" width="${r(w - 2)}" height="${r(h)}" fill="${PALETTE.purple}"><title>${esc(`${b.from.toFixed(2)}–${b.to.toFixed(2)}: ${b.count}`)}</title></rect>`,
    );
  }
  for (let i = 0; i <= 5; i++) {
    const v = lo + ((hi - lo) * i) / 5;
    parts.push(`<text x="${r(xOf(v))}" y="${height - bottom + 18}" text-anchor="middle">${esc(v.toFixed(1))}</text>`);
  }
  if (o.marker) {
    const x = xOf(o.marker.value);
    parts.push(`<line x1="${r(x)}" x2="${r(x)}" y1="${top}" y2="${top + plotH}" stroke="${PALETTE.red}" stroke-dasharray="4 3" stroke-width="2"/>`);
    parts.push(`<text x="${r(x - 4)}" y="${top + 10}" text-anchor="end" fill="${PALETTE.red}">${esc(o.marker.label)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

/** Horizontal stacked bars (one per row, on a light track) with a legend and a note after each track. */
export function stackedBarChart(o: {
  id: string;
  title: string;
  parts: { name: string; color: string }[];
  rows: { label: string; values: number[]; note?: string }[];
  format: (n: number) => string;
}): string {
  const totals = o.rows.map((x) => x.values.reduce((a, b) => a + b, 0));
  // Rows whose totals are all zero are still drawn (empty tracks, "0" notes): an offline build's
  // stages made no model calls, and the chart says so rather than "No data".
  if (o.rows.length === 0) return empty(o.id, o.title);
  const rowH = 28;
  const left = 150;
  const top = 34;
  const height = top + rowH * o.rows.length + 10;
  const plotW = WIDTH - left - 150;
  const max = Math.max(...totals);
  const out = [open(o.id, o.title, height), legend(o.parts, 18, left)];
  o.rows.forEach((row, i) => {
    const y = top + rowH * i;
    out.push(`<text x="${left - 8}" y="${y + 18}" text-anchor="end">${esc(short(row.label, 20))}</text>`);
    out.push(`<rect x="${left}" y="${y + 5}" width="${plotW}" height="${rowH - 10}" fill="#f0f2f5"/>`);
    let x = left;
    row.values.forEach((v, k) => {
      const w = max > 0 ? (plotW * v) / max : 0;
      if (w > 0) {
        out.push(`<rect x="${r(x)}" y="${y + 5}" width="${r(w)}" height="${rowH - 10}" fill="${o.parts[k].color}"><title>${esc(`${row.label} ${o.parts[k].name}: ${o.format(v)}`)}</title></rect>`);
      }
      x += w;
    });
    const note = `${o.format(totals[i])}${row.note ? ` · ${row.note}` : ''}`;
    out.push(`<text x="${left + plotW + 8}" y="${y + 18}" fill="#334">${esc(note)}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}
