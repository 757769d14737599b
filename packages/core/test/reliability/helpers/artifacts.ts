// Checks over everything a build left on disk: finished artifacts must be whole (a killed build may
// leave `*.tmp-*` files, never a truncated .jsonl or .json under the final name), and secrets must
// appear in no file at all.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under `dir` (recursively), absolute paths. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out;
}

/** A temp file of writeFileAtomic / JsonlWriter: `<name>.tmp-<pid>-<n>`. Never read by a stage. */
export const isTempFile = (path: string) => /\.tmp-\d+-\d+$/.test(path);

/** Problems with finished artifacts under `dir`: a .jsonl line that does not parse or a missing final newline, a .json that does not parse. */
export function brokenArtifacts(dir: string): string[] {
  const problems: string[] = [];
  for (const path of listFiles(dir)) {
    if (isTempFile(path)) continue;
    const rel = relative(dir, path);
    if (path.endsWith('.jsonl')) {
      const text = readFileSync(path, 'utf8');
      if (text && !text.endsWith('\n')) problems.push(`${rel}: does not end with a newline (truncated)`);
      text.split('\n').forEach((line, i) => {
        if (!line) return;
        try {
          JSON.parse(line);
        } catch {
          problems.push(`${rel}:${i + 1}: not JSON`);
        }
      });
    } else if (path.endsWith('.json')) {
      try {
        JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        problems.push(`${rel}: not JSON`);
      }
    }
  }
  return problems;
}

/** Files under any of `dirs` whose bytes contain `needle`. */
export function filesContaining(dirs: string[], needle: string): string[] {
  const bytes = Buffer.from(needle, 'utf8');
  return dirs.flatMap(listFiles).filter((path) => readFileSync(path).includes(bytes));
}
