// How many Batch API jobs a `--batch` build creates per stage. `mcp-forge generate --batch` on the
// weather dataset (N samples) against the OpenAI-compatible test server; every POST /v1/batches is
// recorded with the stage its metadata names. The number of batches of a stage should follow the
// conversation's depth (one batch per conversational step across all items of the stage), not the
// number of samples or variants. `--together K` builds K copies of the dataset at once (other names
// and seeds, one cache dir, as `nx run-many` does): their rounds are shared, so the jobs should be
// about those of one build, not K times as many.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startTestServer } from '../../tools/openai-test-server/src';
import { CLI, CONFIG, runCli } from '../shared/cli';

export interface RoundsResult {
  samples: number;
  builds: number;
  byStage: Record<string, number>;
  total: number;
  statsCreated: number;
  wallMs: number;
  exits: (number | null)[];
  /** Each build's own account of its rounds, one line per stage ("<stage>: N batch rounds, ..."). */
  rounds: string[][];
}

/** The weather config as build `i` of several: its own name and seed, the server path absolute. */
function configCopy(dir: string, i: number): string {
  const text = readFileSync(CONFIG, 'utf8')
    .replace(/^name: .*$/m, `name: weather-${i}`)
    .replace(/^seed: .*$/m, `seed: ${42 + i}`)
    .replace(/args: \[([^\]]+)\]/, (_, p: string) => `args: [${resolve(dirname(CONFIG), p.trim())}]`);
  const path = join(dir, `weather-${i}.yaml`);
  writeFileSync(path, text);
  return path;
}

export async function countRounds(samples: number, opts: { factor?: number; verbose?: boolean; keep?: boolean; builds?: number } = {}): Promise<RoundsResult> {
  const builds = opts.builds ?? 1;
  const byStage: Record<string, number> = {};
  const server = await startTestServer({
    batchStepMs: 10,
    onRequest: (r) => {
      if (r.endpoint !== 'POST /v1/batches' || r.status !== 200) return;
      const stage = (JSON.parse(r.body.toString()).metadata?.stage as string | undefined) ?? 'unknown';
      byStage[stage] = (byStage[stage] ?? 0) + 1;
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'forge-bench-batch-'));
  try {
    const env = { ...process.env, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-bench-0000', FORGE_CACHE_DIR: join(dir, 'cache'), FORGE_BATCH_POLL_MS: '50', FORGE_BATCH_COLLECT_MS: '300' };
    const started = performance.now();
    const runs = await Promise.all(
      Array.from({ length: builds }, (_, i) => {
        const config = builds === 1 ? CONFIG : configCopy(dir, i);
        const args = [CLI, 'generate', '--config', config, '--batch', '--samples', String(samples), '--out', join(dir, `out-${i}`), ...(opts.factor ? ['--factor', String(opts.factor)] : [])];
        return runCli(args, { cwd: dir, env });
      }),
    );
    const wallMs = performance.now() - started;
    for (const r of runs) {
      if (opts.verbose) console.error(r.output);
      else if (r.status !== 0) console.error(r.output.slice(-2000));
    }
    const rounds = runs.map((r) =>
      r.output
        .split('\n')
        .filter((l) => / batch rounds?, | took \d+ of the \d+ steps/.test(l))
        .map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim()),
    );
    const total = Object.values(byStage).reduce((a, b) => a + b, 0);
    return { samples, builds, byStage, total, statsCreated: server.stats().batches.created, wallMs, exits: runs.map((r) => r.status), rounds };
  } finally {
    await server.close();
    if (opts.keep) console.error(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { sizes: { type: 'string', default: '20,60,200' }, factor: { type: 'string' }, together: { type: 'string', default: '1' }, verbose: { type: 'boolean', default: false }, keep: { type: 'boolean', default: false } },
  });
  const factor = values.factor ? Number(values.factor) : undefined;
  const builds = Number(values.together);
  for (const n of values.sizes.split(',').map(Number)) {
    const r = await countRounds(n, { factor, verbose: values.verbose, keep: values.keep, builds });
    const stages = Object.entries(r.byStage).map(([s, k]) => `${s} ${k}`).join(', ');
    console.log(`${n} samples${factor ? ` (factor ${factor})` : ''}${builds > 1 ? ` x ${builds} builds at once` : ''}: ${r.total} batches (${stages}); /_stats batches.created ${r.statsCreated}; ${(r.wallMs / 1000).toFixed(1)} s; exit ${r.exits.join(', ')}`);
    r.rounds.forEach((lines, i) => {
      if (builds > 1) console.log(`  build ${i}:`);
      for (const line of lines) console.log(`  ${line}`);
    });
  }
}

if (require.main === module || process.env.FORGE_BENCH_MAIN === '1') {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
