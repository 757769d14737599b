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
  publishOutputSet,
  type ForgeConfig,
  type Sample,
  type Logger,
} from '@mcp-forge/core';
import { readToolsFile, toolsFromRows } from './qc-tools';

/** Deepest nesting accepted in a row's tool-call arguments; deeper ones would overflow the checks' stack. */
const MAX_ARGUMENT_DEPTH = 64;

function deeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v as Record<string, unknown>)) if (child && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * A call whose arguments nest absurdly deep is kept as unparseable (its row is rejected) instead of
 * stopping qc. A copy when anything is cut: the row as read stays unchanged (qc may copy its line).
 */
function withoutDeepArguments(sample: Sample): Sample {
  const deep = (c: { arguments?: unknown }) => c.arguments !== undefined && deeperThan(c.arguments, MAX_ARGUMENT_DEPTH);
  if (!sample.messages.some((m) => (m.tool_calls ?? []).some(deep))) return sample;
  return {
    ...sample,
    messages: sample.messages.map((m) =>
      m.tool_calls?.some(deep) ? { ...m, tool_calls: m.tool_calls.map((c) => (deep(c) ? { ...c, arguments: undefined, raw: `(nested more than ${MAX_ARGUMENT_DEPTH} levels deep)` } : c)) } : m,
    ),
  };
}

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
  const check = (outDir: string | undefined) =>
    runQc({
      cfg,
      input,
      tools: usableTools(tools),
      provider,
      toSample: (row, i) => {
        try {
          return withoutDeepArguments(rowToSample(row, i, 'seed', 'row'));
        } catch (err) {
          // Say which file and row: the message alone does not tell a 100k-row dataset apart.
          if (err instanceof ForgeError) throw new ForgeError(err.code, `${input}: row ${i + 1}: ${err.message}`, err.hint, { cause: err });
          throw err;
        }
      },
      outDir,
      log,
    });
  // --out: accepted.jsonl and rejected.jsonl are written into a staging directory and published together;
  // a failure leaves the previous files (and no temp files) behind.
  const result = opts.out ? await publishOutputSet(resolve(cwd, opts.out), 'qc', (set) => check(set.dir)) : await check(undefined);
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
