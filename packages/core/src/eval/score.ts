// Scores of a model over the truth rows: per row (every scored turn right), per category and overall,
// with a 95% Wilson score interval (sound for small counts and for 0% or 100%).
import type { RowResult, Score } from './types';

/** 95% Wilson score interval of `correct` successes out of `count`. */
export function wilson(correct: number, count: number, z = 1.959963984540054): [number, number] {
  if (count === 0) return [0, 0];
  const p = correct / count;
  const z2 = z * z;
  const denom = 1 + z2 / count;
  const centre = (p + z2 / (2 * count)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / count + z2 / (4 * count * count))) / denom;
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return [round(Math.max(0, centre - half)), round(Math.min(1, centre + half))];
}

export function score(correct: number, count: number): Score {
  return { correct, count, accuracy: count ? Math.round((correct / count) * 1e6) / 1e6 : 0, ci95: wilson(correct, count) };
}

export function aggregate(rows: RowResult[]): { overall: Score; categories: Record<string, Score>; reasons: Record<string, number> } {
  const byCat = new Map<string, { correct: number; count: number }>();
  const reasons: Record<string, number> = {};
  for (const r of rows) {
    const c = byCat.get(r.category) ?? { correct: 0, count: 0 };
    c.count++;
    if (r.valid) c.correct++;
    byCat.set(r.category, c);
    // Counted by kind (`missing_param`, `value_mismatch`, ...), the parameter left to the row.
    for (const reason of new Set(r.reasons.map((x) => x.split(':')[0]))) reasons[reason] = (reasons[reason] ?? 0) + 1;
  }
  const categories: Record<string, Score> = {};
  for (const name of [...byCat.keys()].sort()) categories[name] = score(byCat.get(name)!.correct, byCat.get(name)!.count);
  const correct = rows.filter((r) => r.valid).length;
  return { overall: score(correct, rows.length), categories, reasons };
}
