// How many Batch API jobs a `--batch` build creates per stage. `mcp-forge generate --batch` on the
// weather dataset (N samples) against the OpenAI-compatible test server; every POST /v1/batches is
// recorded with the stage its metadata names. The number of batches of a stage should follow the
// conversation's depth (one batch per conversational step across all items of the stage), not the
// number of samples or variants.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startTestServer } from '../../tools/openai-test-server/src';
import { CLI, CONFIG, runCli } from '../shared/cli';


export interface RoundsResult {
  samples: number;
  byStage: Record<string, number>;
  total: number;
  statsCreated: number;
  wallMs: number;
  exit: number | null;
  /** The build's own account of its rounds, one line per stage ("<stage>: N batch rounds, ..."). */
  rounds: string[];
}

export async function countRounds(samples: number, factor?: number, verbose = false, keep = false): Promise<RoundsResult> {
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
    const args = [CLI, 'generate', '--config', CONFIG, '--batch', '--samples', String(samples), '--out', join(dir, 'out'), ...(factor ? ['--factor', String(factor)] : [])];
    const started = performance.now();
    const r = await runCli(args, {
      cwd: dir,
      env: { ...process.env, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-bench-0000', FORGE_CACHE_DIR: join(dir, 'cache'), FORGE_BATCH_POLL_MS: '50', FORGE_BATCH_COLLECT_MS: '300' },
    });
    const wallMs = performance.now() - started;
    if (verbose) console.error(r.output);
    else if (r.status !== 0) console.error(r.output.slice(-2000));
    const rounds = r.output.split('\n').filter((l) => / batch rounds?, | took \d+ of the \d+ steps/.test(l)).map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim());
    const total = Object.values(byStage).reduce((a, b) => a + b, 0);
    return { samples, byStage, total, statsCreated: server.stats().batches.created, wallMs, exit: r.status, rounds };
  } finally {
    await server.close();
    if (keep) console.error(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '20,60,200' }, factor: { type: 'string' }, verbose: { type: 'boolean', default: false }, keep: { type: 'boolean', default: false } } });
  const factor = values.factor ? Number(values.factor) : undefined;
  for (const n of values.sizes.split(',').map(Number)) {
    const r = await countRounds(n, factor, values.verbose, values.keep);
    const stages = Object.entries(r.byStage).map(([s, k]) => `${s} ${k}`).join(', ');
    console.log(`${n} samples${factor ? ` (factor ${factor})` : ''}: ${r.total} batches (${stages}); /_stats batches.created ${r.statsCreated}; ${(r.wallMs / 1000).toFixed(1)} s; exit ${r.exit}`);
    for (const line of r.rounds) console.log(`  ${line}`);
  }
}

if (require.main === module || process.env.FORGE_BENCH_MAIN === '1') {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
