// One measured run of the real `mcp-forge qc` command in a child process, under GNU time for the
// child's peak RSS and CPU time (wall time is taken here with hrtime).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const REPO = join(__dirname, '../..');
export const BIN = join(REPO, 'packages/cli/bin/mcp-forge.js');
const GNU_TIME = '/usr/bin/time';

export interface QcRun {
  wallMs: number;
  /** User + system CPU of the child (GNU time), ms; null without /usr/bin/time. */
  cpuMs: number | null;
  /** "Maximum resident set size" of the child, MiB; null without /usr/bin/time. */
  peakRssMiB: number | null;
  exitCode: number | null;
  stdout: string;
}

function field(text: string, label: string): number | null {
  const m = new RegExp(`${label}[^:]*:\\s*([\\d.]+)`).exec(text);
  return m ? Number(m[1]) : null;
}

/** Runs `mcp-forge qc <file> --tools <lock> ...extra` from the repo root. Exit 1 (a missed threshold) is a result, not a failure. */
export function runQcCli(file: string, lock: string, extra: string[] = []): QcRun {
  const args = [BIN, 'qc', file, '--tools', lock, ...extra];
  const timed = existsSync(GNU_TIME);
  const [cmd, argv] = timed ? [GNU_TIME, ['-v', process.execPath, ...args]] : [process.execPath, args];
  const env = { ...process.env };
  for (const k of ['OPENAI_API_KEY', 'OPENAI_BASE_URL']) delete env[k]; // rule checks + dedup only: no judge
  const start = process.hrtime.bigint();
  const child = spawnSync(cmd, argv, { cwd: REPO, env, encoding: 'utf8', maxBuffer: 256 << 20 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.error) throw child.error;
  if (child.status !== 0 && child.status !== 1) throw new Error(`mcp-forge qc failed (exit ${child.status}):\n${child.stderr.slice(-3000)}`);
  const user = field(child.stderr, 'User time \\(seconds\\)');
  const sys = field(child.stderr, 'System time \\(seconds\\)');
  const rssKb = field(child.stderr, 'Maximum resident set size \\(kbytes\\)');
  return {
    wallMs,
    cpuMs: user !== null && sys !== null ? (user + sys) * 1000 : null,
    peakRssMiB: rssKb !== null ? rssKb / 1024 : null,
    exitCode: child.status,
    stdout: child.stdout,
  };
}
