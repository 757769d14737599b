// What a build pays for what it keeps: the weather dataset built through the OpenAI-compatible test
// server (no latency, no limits), with the default augmentation pool and with an explicit
// `--factor 10` (the pool the dataset used to ask for). Reported from the build's own report.json
// (rows before QC, final rows, requests per final row) and qc.json (QC figures), and the server's
// request count.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startTestServer } from '../../tools/openai-test-server/src';
import { CLI, CONFIG, runCli } from '../shared/cli';


async function build(samples: number, factor: string) {
  const server = await startTestServer({});
  const dir = mkdtempSync(join(tmpdir(), 'forge-bench-cost-'));
  try {
    const out = join(dir, 'out');
    const args = [CLI, 'generate', '--config', CONFIG, '--samples', String(samples), '--out', out, ...(factor === 'default' ? [] : ['--factor', factor])];
    const r = await runCli(args, {
      cwd: dir,
      env: { ...process.env, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: 'sk-bench-0000', FORGE_CACHE_DIR: join(dir, 'cache') },
    });
    if (r.status !== 0) throw new Error(`build exited ${r.status}: ${r.output.slice(-2000)}`);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const qc = JSON.parse(readFileSync(join(out, 'qc.json'), 'utf8'));
    const metrics = Object.fromEntries((qc.gate as { metric: string; value: number | null }[]).map((g) => [g.metric, g.value]));
    const chat = server.stats().requests.byEndpoint['POST /v1/chat/completions']?.total ?? 0;
    return { factor, report, metrics, chat, byModel: server.stats().requests.byModel };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { samples: { type: 'string', default: '100' }, factors: { type: 'string', default: 'default,10' } } });
  const results = [];
  for (const factor of values.factors.split(',')) {
    const b = await build(Number(values.samples), factor);
    results.push(b);
    const y = b.report.yield;
    const usd = (b.report.usage as { usd: number }[]).reduce((n, u) => n + u.usd, 0);
    console.log(
      `factor ${factor}: ${b.chat} chat requests (${Object.entries(b.byModel).map(([m, c]) => `${m} ${(c as { total: number }).total}`).join(', ')}), ${y.rowsBeforeQc} rows before QC, ${y.finalRows} final rows, ` +
        `${y.requestsPerFinalRow.toFixed(2)} requests and $${y.usdPerFinalRow.toFixed(4)} per final row ($${usd.toFixed(2)} in all at list prices); ` +
        `QC: judgeScore ${b.metrics.judgeScore}, duplicateRatio ${b.metrics.duplicateRatio}, scenarioDeviation ${b.metrics.scenarioDeviation}, parseRate ${b.metrics.parseRate}, schemaConformance ${b.metrics.schemaConformance}`,
    );
  }
  if (results.length === 2) {
    const [a, b] = results;
    console.log(`requests: ${a.chat} vs ${b.chat} (${((1 - a.chat / b.chat) * 100).toFixed(1)}% fewer); per final row ${(a.report.yield.requestsPerFinalRow).toFixed(2)} vs ${(b.report.yield.requestsPerFinalRow).toFixed(2)}`);
  }
}

if (require.main === module || process.env.FORGE_BENCH_MAIN === '1') {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
