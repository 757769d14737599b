// `mcp-forge qc <file.jsonl> --tools tools.lock.json`: rule checks and near-duplicate removal (and the
// judge when a model provider is configured) on any Hermes-, OpenAI- or ShareGPT-format dataset.
import { resolve } from 'node:path';
import {
  createProvider,
  ForgeError,
  formatGateTable,
  loadConfig,
  parseConfigText,
  resolveProvider,
  rowToSample,
  runQc,
  usableTools,
  type ForgeConfig,
  type Logger,
} from '@mcp-forge/core';
import { readToolsFile, toolsFromRows } from './qc-tools';

/** Gate rows that only make sense for a dataset planned from a forge.yaml. */
const PLANNED_ONLY = new Set(['scenarioDeviation', 'augmentedShare', 'minSamplesPerTool']);

export async function qcCommand(file: string, opts: { tools?: string; config?: string; out?: string; json?: boolean }, log: Logger, cwd = process.cwd()): Promise<number> {
  const input = resolve(cwd, file);
  const tools = opts.tools ? readToolsFile(resolve(cwd, opts.tools)) : await toolsFromRows(input);
  const cfg: ForgeConfig = opts.config
    ? await loadConfig(resolve(cwd, opts.config), { workspaceRoot: cwd })
    : parseConfigText('# defaults for `mcp-forge qc` without --config\nserver: { command: unused }\n', resolve(cwd, 'forge.yaml'), { workspaceRoot: cwd });
  const resolved = resolveProvider(cfg);
  const judge = opts.config && cfg.judge.enabled && resolved === 'openai';
  const provider = judge ? createProvider({ cfg, resolved, env: process.env, stage: 'judge', dataset: cfg.name ?? 'qc', root: cwd, model: cfg.judge.model }) : undefined;
  const result = await runQc({
    cfg,
    input,
    tools: usableTools(tools),
    provider,
    toSample: (row, i) => {
      try {
        return rowToSample(row, i, 'seed', 'row');
      } catch (err) {
        // Say which file and row: the message alone does not tell a 100k-row dataset apart.
        if (err instanceof ForgeError) throw new ForgeError(err.code, `${input}: row ${i + 1}: ${err.message}`, err.hint, { cause: err });
        throw err;
      }
    },
    outDir: opts.out ? resolve(cwd, opts.out) : undefined,
    log,
  });
  // An empty file would pass every rate threshold (nothing failed): it is not a dataset.
  if (result.counts.total === 0) throw new ForgeError('INPUT', `${input} holds no rows: there is nothing to check.`);
  const gate = opts.config ? result.gate : result.gate.filter((g) => !PLANNED_ONLY.has(g.metric));
  const passed = gate.every((g) => g.ok);
  if (opts.json) {
    const { states: _s, ...summary } = result;
    console.log(JSON.stringify({ ...summary, gate, passed }, null, 2));
  } else {
    log.info(`${result.counts.total} rows: ${result.counts.accepted} accepted, ${result.counts.rejected} rejected${provider ? '' : ' (no judge: no model provider configured)'}`);
    const reasons = Object.entries(result.rejectionsByReason).sort((a, b) => b[1] - a[1]);
    if (reasons.length) log.info(`Rejections by reason:\n${reasons.map(([r, n]) => `  ${r}: ${n}`).join('\n')}`);
    log.info(formatGateTable(gate));
    log.info(passed ? 'All thresholds met.' : 'Thresholds missed.');
  }
  return passed ? 0 : 1;
}
