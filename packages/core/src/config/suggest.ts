// "did you mean" for unknown keys: the closest allowed key by Damerau–Levenshtein distance
// (optimal string alignment, so a swapped pair like `sampels` costs 1), after folding case and
// `_`/`-` so that `max_retries` or `baseUrl` find `maxRetries` and `baseURL`.

/** Edit distance where insert, delete, substitute and swapping two adjacent characters each cost 1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

function fold(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/** The allowed key closest to `key`, when it is close enough to be a likely typo. */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const folded = fold(key);
  // Up to 1 edit for short keys, 2 for longer ones, 3 for long ones: beyond that a "suggestion" is noise.
  const limit = folded.length <= 4 ? 1 : folded.length <= 10 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const distance = editDistance(folded, fold(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
