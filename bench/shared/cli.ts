// What the build benchmarks share: the CLI started as a child process without blocking this one (the
// test server they run answers from this event loop), and the weather dataset's config.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '../..');
export const CLI = join(REPO, 'packages/cli/bin/mcp-forge.js');
export const CONFIG = join(REPO, 'datasets/weather-dataset/forge.yaml');

/** Runs the CLI without blocking this process (the test server answers from this event loop). */
export function runCli(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ status: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output = (output + d).slice(-2_000_000)));
    child.stderr.on('data', (d) => (output = (output + d).slice(-2_000_000)));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, output }));
  });
}
