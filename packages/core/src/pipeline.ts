// Runs the stages: inputs -> rows -> outputs. Each stage reads the previous stage's files from the
// output directory and writes its own atomically, so each can be an Nx target with declared inputs and
// outputs, and the CLI can run them all in a row.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { ForgeConfig, ResolvedProvider } from './config/types';
import { loadConfig, resolveProvider } from './config';
import { inspectServers, serializeLock, readLock, diffLocks, formatLockDiff, ToolRunner } from './mcp';
import { createProvider } from './llm';
import type { LlmProvider } from './llm/provider';
import type { Sample, Scenario, ToolDef, ToolsLock, Usage } from './types';
import { buildPlan, selectTools, type Plan } from './stages/plan';
import { generateSeeds } from './stages/generate';
import { augmentSeeds, SELECTION_MARGIN, type PlanSlots } from './stages/augment';
import { realSamples } from './stages/real';
import { runQc } from './stages/qc';
import { formatGateTable } from './stages/gate';
import { synthesize } from './stages/synthesize';
import { executionFor, type LiveTools } from './stages/execute';
import { harvestValues } from './stages/harvest';
import { describePlan } from './stages/estimate';
import { normalizeSchema } from './schema/normalize';
import { writeFileAtomic, writeJsonAtomic, writeJsonl, readAllJsonl, resolveInside, publishOutputSet, recoverOutputSets } from './util/files';
import { consoleLogger, type Logger } from './util/log';
import { ForgeError } from './errors';
import { writeReports } from './report/write';

export interface RunOptions {
  /** forge.yaml, the directory that holds it, or an already loaded config. */
  config: string | ForgeConfig;
  /** Workspace root: output paths must stay inside it. */
  root: string;
  /** Output directory chosen by the user (default: output.dir, else <root>/dist/datasets/<name>). */
  outDir?: string;
  /** Lock file path (default: tools.lock.json beside forge.yaml). */
  lockPath?: string;
  /** Nx project name (the dataset's name when forge.yaml has none). */
  projectName?: string;
  /** Environment for ${VAR} in forge.yaml, the provider choice and the cache dir (default: process.env). */
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  /** Provider override (tests). */
  provider?: LlmProvider;
}

export interface StageContext {
  cfg: ForgeConfig;
  root: string;
  name: string;
  outDir: string;
  lockPath: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  resolved: ResolvedProvider;
}

export const OFFLINE_BANNER =
  'OFFLINE BUILD: provider "offline" (no OPENAI_API_KEY or OPENAI_BASE_URL set): samples come from templates and samplers, no model was called.';

/** The banner naming why the build is offline: no key, or generator.provider: offline while a key is set. */
export function offlineBanner(ctx: Pick<StageContext, 'cfg' | 'env'>): string {
  const set = ['OPENAI_API_KEY', 'OPENAI_BASE_URL'].filter((k) => ctx.env[k]);
  if (!set.length) return OFFLINE_BANNER;
  return `OFFLINE BUILD: generator.provider is "offline" in forge.yaml, so ${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'} set but not used: samples come from templates and samplers, no model was called. Set generator.provider to auto or openai to generate with the model.`;
}

export async function openContext(opts: RunOptions): Promise<StageContext> {
  const env = opts.env ?? process.env;
  const cfg = typeof opts.config === 'string' ? await loadConfig(opts.config, { workspaceRoot: opts.root, env }) : opts.config;
  const name = cfg.name ?? opts.projectName ?? basename(cfg.dir);
  // An explicit --out is the user's choice; paths from forge.yaml must stay inside the workspace.
  const outDir = opts.outDir ? resolve(opts.outDir) : resolveInside(opts.root, cfg.dir, cfg.output.dir ?? join(opts.root, 'dist', 'datasets', name), 'output.dir', { output: true });
  // A build killed while publishing an output set is completed first: no stage reads a half-published set.
  recoverOutputSets(outDir);
  return { cfg, root: opts.root, name, outDir, lockPath: opts.lockPath ?? join(cfg.dir, 'tools.lock.json'), env, log: opts.log ?? consoleLogger, resolved: resolveProvider(cfg, env) };
}

/** Dollars spent by the stages of this build that ran before `stage` (budget.maxUsd is per build). */
function spentBefore(ctx: StageContext, stage: string): number {
  const order = ['generate', 'augment', 'judge'];
  const files: Record<string, string> = { generate: 'usage.json', augment: 'augment.json', judge: 'qc.json' };
  let usd = 0;
  for (const s of order.slice(0, order.indexOf(stage))) {
    const path = join(ctx.outDir, files[s]);
    if (existsSync(path)) usd += (JSON.parse(readFileSync(path, 'utf8')) as { usage?: Usage }).usage?.usd ?? 0;
  }
  return usd;
}

/** Runs `fn` with the stage's provider and always releases it (timers, batch polling, endpoint slots). */
async function withProvider<T>(ctx: StageContext, stage: string, opts: RunOptions & { dryRun?: boolean }, fn: (p: LlmProvider) => Promise<T>, model?: string): Promise<T> {
  if (opts.provider) return fn(opts.provider);
  if (ctx.resolved === 'offline') ctx.log.warn(offlineBanner(ctx));
  const provider = createProvider({ cfg: ctx.cfg, resolved: ctx.resolved, env: ctx.env, stage, dataset: ctx.name, root: ctx.root, model, dryRun: opts.dryRun, spentUsd: spentBefore(ctx, stage) });
  try {
    const result = await fn(provider);
    const rounds = provider.batchRounds?.()?.rounds;
    if (rounds?.length) {
      const jobs = rounds.reduce((n, r) => n + r.batches, 0);
      const list = rounds.map((r, i) => `${i + 1}: ${r.requests}${r.resent ? ` (${r.resent} re-sent)` : ''} in ${r.batches} (${r.models.join(', ')})${r.shared ? ` [shared by ${r.shared.builds} builds: ${r.shared.batches} job${r.shared.batches === 1 ? '' : 's'}]` : ''}`).join('; ');
      ctx.log.info(`${stage}: ${rounds.length} batch round${rounds.length === 1 ? '' : 's'}, ${jobs} Batch API job${jobs === 1 ? '' : 's'} - round: requests in jobs (models): ${list}`);
    }
    return result;
  } finally {
    await provider.close?.();
  }
}

/** Value pools are read only from tools that are read-only by their annotations, whatever the opt-ins. */
function harvestable(cfg: ForgeConfig, tool: ToolDef): boolean {
  return tool.annotations?.readOnlyHint === true && executionFor(cfg, tool) === 'live';
}

/** Stands for the workspace root in live tool results (see liveToolsFor). */
export const WORKSPACE_PLACEHOLDER = '/workspace';

/**
 * The MCP connections for live calls. Results that name the checkout's absolute path (a file
 * server's full paths, error messages) get the workspace root replaced by a fixed placeholder, so a
 * dataset does not depend on where it was built and stays byte-identical across machines.
 */
function liveToolsFor(ctx: StageContext, tools: ToolDef[]): (LiveTools & { close(): Promise<void> }) | undefined {
  if (!tools.some((t) => executionFor(ctx.cfg, t) === 'live')) return undefined;
  const runner = new ToolRunner(ctx.cfg.servers);
  const root = resolve(ctx.root);
  return {
    call: async (tool, args) => {
      const result = await runner.call(tool, args);
      return root.length > 1 ? { ...result, text: result.text.split(root).join(WORKSPACE_PLACEHOLDER) } : result;
    },
    close: () => runner.close(),
  };
}

/** inspect: list the servers' tools into tools.lock.json; with `check`, fail on drift instead of writing. */
export async function runInspect(opts: RunOptions & { check?: boolean }): Promise<{ lock: ToolsLock; changed: boolean; warnings: string[] }> {
  const ctx = await openContext(opts);
  const { lock, warnings } = await inspectServers(ctx.cfg.servers);
  for (const w of warnings) ctx.log.warn(w);
  const text = serializeLock(lock);
  const before = existsSync(ctx.lockPath) ? readFileSync(ctx.lockPath, 'utf8') : undefined;
  const changed = before !== text;
  if (opts.check) {
    if (before === undefined) throw new ForgeError('LOCK', `${ctx.lockPath} does not exist.`, 'Run inspect without --check to create it, and commit it.');
    if (changed) {
      const diff = formatLockDiff(diffLocks(readLock(ctx.lockPath), lock));
      throw new ForgeError('LOCK', `Tool schemas drifted from ${ctx.lockPath}:\n${diff}`, 'Run inspect without --check to update the lock file, review the change and commit it.');
    }
    ctx.log.info(`${lock.tools.length} tools, no drift from ${ctx.lockPath}`);
    return { lock, changed: false, warnings };
  }
  if (changed) writeFileAtomic(ctx.lockPath, text);
  ctx.log.info(`${changed ? 'wrote' : 'unchanged'} ${ctx.lockPath}: ${lock.tools.length} tools (${lock.tools.map((t) => t.name).join(', ')})`);
  return { lock, changed, warnings };
}

/** The lock file's tools with their schemas normalised (`"type": "dict"` read as object, ...). */
export function usableTools(tools: ToolDef[], log?: Logger): ToolDef[] {
  return tools.map((t) => {
    const input = normalizeSchema(t.inputSchema, t.name);
    const output = t.outputSchema === undefined ? undefined : normalizeSchema(t.outputSchema, t.name);
    const warnings = [...input.warnings, ...(output?.warnings ?? [])];
    for (const w of warnings) log?.warn(w);
    return { ...t, inputSchema: input.schema, ...(output ? { outputSchema: output.schema } : {}), ...(warnings.length ? { warnings: [...(t.warnings ?? []), ...warnings] } : {}) };
  });
}

function loadTools(ctx: StageContext): ToolDef[] {
  return usableTools(readLock(ctx.lockPath).tools);
}

export interface GenerateOutcome {
  plan: Plan;
  seeds: number;
  rejected: number;
  usage: Usage;
  dryRun: boolean;
}

/** generate: plan.json, seeds.jsonl, generate.rejected.jsonl, usage.json. */
export async function runGenerate(opts: RunOptions & { dryRun?: boolean }): Promise<GenerateOutcome> {
  const ctx = await openContext(opts);
  const tools = loadTools(ctx);
  return withProvider(ctx, 'generate', opts, async (provider) => {
    const plan = buildPlan({ dataset: ctx.name, cfg: ctx.cfg, tools, provider: ctx.resolved, model: provider.model });
    if (opts.dryRun) {
      ctx.log.info(describePlan(plan, ctx.cfg, provider, tools));
      return { plan, seeds: 0, rejected: 0, usage: provider.usage(), dryRun: true };
    }
    const selected = selectTools(ctx.cfg, tools);
    const live = liveToolsFor(ctx, selected);
    try {
      const pools = await harvestValues(tools, live, (t) => harvestable(ctx.cfg, t));
      const { seeds, rejected, topUp, repair } = await generateSeeds({ cfg: ctx.cfg, plan, tools, provider, live, pools, log: ctx.log });
      writeJsonl(join(ctx.outDir, 'seeds.jsonl'), seeds);
      writeJsonl(join(ctx.outDir, 'generate.rejected.jsonl'), rejected);
      writeJsonAtomic(join(ctx.outDir, 'plan.json'), plan);
      const usage = provider.usage();
      // Top-up replacements and repair requests are counted beside the request usage (their requests are in it).
      writeJsonAtomic(join(ctx.outDir, 'usage.json'), { stage: 'generate', provider: provider.name, model: provider.model, usage, topUp, repair });
      ctx.log.info(`generate: ${seeds.length} seeds, ${rejected.length} rejected (${ctx.resolved} provider, model ${provider.model}) -> ${ctx.outDir}`);
      return { plan, seeds: seeds.length, rejected: rejected.length, usage, dryRun: false };
    } finally {
      await live?.close();
    }
  });
}

/** Each seed's place in plan.json (augment sizes every family by it alone); undefined without a plan. */
function planSlots(ctx: StageContext): PlanSlots | undefined {
  const path = join(ctx.outDir, 'plan.json');
  if (!existsSync(path)) return undefined;
  const plan = JSON.parse(readFileSync(path, 'utf8')) as { items?: { key: string; index: number; replaces?: number }[] };
  if (!Array.isArray(plan.items)) return undefined;
  // Top-up replacements are in the plan too; they take the slot of the item they replace (meta.replaces).
  const planned = plan.items.filter((i) => i.replaces === undefined);
  return { count: planned.length, byKey: new Map(planned.map((i) => [i.key, i.index])) };
}

/** augment: augmented.jsonl (seeds first, then their variants) and augment.json. */
export async function runAugment(opts: RunOptions) {
  const ctx = await openContext(opts);
  const tools = loadTools(ctx);
  const seeds = await readAllJsonl<Sample>(join(ctx.outDir, 'seeds.jsonl'));
  return withProvider(ctx, 'augment', opts, async (provider) => {
    const selected = selectTools(ctx.cfg, tools);
    const live = liveToolsFor(ctx, selected);
    try {
      const pools = await harvestValues(tools, live, (t) => harvestable(ctx.cfg, t));
      // Rows from mix.real make room for more augmented rows under mix.maxAugmentedShare.
      const realRows = ctx.cfg.mix.real.length ? (await realSamples(ctx.cfg, ctx.root, tools.map((t) => t.name))).length : 0;
      const { rows, report } = await augmentSeeds({ cfg: ctx.cfg, seeds, tools, provider, live, pools, log: ctx.log, realRows, slots: planSlots(ctx) });
      writeJsonl(join(ctx.outDir, 'augmented.jsonl'), [...seeds, ...rows]);
      writeJsonAtomic(join(ctx.outDir, 'augment.json'), { ...report, provider: provider.name, model: provider.model, usage: provider.usage() });
      const pool = report.pool === 'factor' ? `augmentation.factor ${report.factor}` : `sized by mix.maxAugmentedShare: ${report.keepable} keepable x ${SELECTION_MARGIN}`;
      ctx.log.info(`augment: ${report.seeds} seeds -> ${report.seeds + report.produced} rows before QC (expansion ${report.expansion.toFixed(2)}x, pool ${pool})`);
      for (const [why, n] of Object.entries(report.substitutions)) ctx.log.info(`  ${n} x ${why}`);
      return report;
    } finally {
      await live?.close();
    }
  });
}

/** qc: accepted.jsonl, rejected.jsonl, qc.json; throws a GATE error with the table when a threshold is missed. */
/**
 * The mix the later stages hold the set to: the plan's counts (the configured fractions as closely as
 * the number of samples and the tool list allow: buildPlan), with scenarios generate could not serve at all (plan.json's
 * `unservable`) handing their share to `standard`, so the gate measures what was asked and possible.
 */
function applyServedMix(ctx: StageContext): void {
  const path = join(ctx.outDir, 'plan.json');
  if (!existsSync(path)) return;
  const plan = JSON.parse(readFileSync(path, 'utf8')) as { scenarioCounts?: Partial<Record<Scenario, number>>; unservable?: Scenario[] };
  const counts = { ...(plan.scenarioCounts ?? {}) };
  for (const sc of plan.unservable ?? []) {
    if (sc === 'standard' || !counts[sc]) continue;
    counts.standard = (counts.standard ?? 0) + counts[sc]!;
    delete counts[sc];
  }
  const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  if (!total) return;
  const scenarios: Partial<Record<Scenario, number>> = {};
  for (const [sc, n] of Object.entries(counts) as [Scenario, number][]) if (n > 0) scenarios[sc] = n / total;
  ctx.cfg = { ...ctx.cfg, scenarios };
}

export async function runQcStage(opts: RunOptions) {
  const ctx = await openContext(opts);
  const tools = loadTools(ctx);
  applyServedMix(ctx);
  const judge = <T>(fn: (p?: LlmProvider) => Promise<T>) => (ctx.cfg.judge.enabled ? withProvider(ctx, 'judge', opts, fn, ctx.cfg.judge.model) : fn(undefined));
  // accepted.jsonl, rejected.jsonl and qc.json are published as one set (util/files.ts OutputSet).
  const { result, summary } = await publishOutputSet(ctx.outDir, 'qc', async (set) => {
    const { result, usage, providerName } = await judge(async (provider) => ({
      result: await runQc({
        cfg: ctx.cfg,
        input: join(ctx.outDir, 'augmented.jsonl'),
        tools,
        gateTools: selectTools(ctx.cfg, tools).map((t) => t.name),
        provider,
        outDir: set.dir,
        log: ctx.log,
      }),
      usage: provider?.usage(),
      providerName: provider?.name ?? 'none',
    }));
    const { states: _states, ...summary } = result;
    writeJsonAtomic(join(set.dir, 'qc.json'), { ...summary, provider: providerName, usage });
    return { result, summary };
  });
  const table = formatGateTable(result.gate);
  ctx.log.info(`qc: ${result.counts.accepted} accepted, ${result.counts.rejected} rejected of ${result.counts.total}\n${table}`);
  if (!result.passed) throw new ForgeError('GATE', `QC thresholds missed:\n${table}`, `See ${join(ctx.outDir, 'rejected.jsonl')} for the rejected rows and their reasons.`);
  return summary;
}

/** synthesize: train/eval per format, report.html, report.md, report.json, README.md. */
export async function runSynthesize(opts: RunOptions) {
  const ctx = await openContext(opts);
  const tools = loadTools(ctx);
  applyServedMix(ctx);
  // Every file of the dataset is published as one set: a reader sees the previous build's or this one's.
  const result = await publishOutputSet(ctx.outDir, 'synthesize', async (set) => {
    const result = await synthesize({ cfg: ctx.cfg, accepted: join(ctx.outDir, 'accepted.jsonl'), outDir: set.dir, tools, root: ctx.root, log: ctx.log });
    const borrowed = ['usage.json', 'augment.json', 'qc.json'].map((f) => set.borrow(f)).filter((f): f is string => f !== undefined);
    writeReports({ ctx: { ...ctx, outDir: set.dir }, result, tools });
    for (const f of borrowed) rmSync(f, { force: true });
    return result;
  });
  if (ctx.resolved === 'offline') ctx.log.warn(offlineBanner(ctx));
  if (result.tokens.dropped > 0) ctx.log.warn(`synthesize: ${result.tokens.dropped} rows longer than output.maxTokens (${ctx.cfg.output.maxTokens} tokens; longest ${result.tokens.longestDropped}) were dropped from every format.`);
  ctx.log.info(`synthesize: ${result.counts.train} train + ${result.counts.eval} eval rows in ${ctx.cfg.output.formats.join(', ')} -> ${ctx.outDir}`);
  return result;
}

/** Every stage in a row (the CLI's generate command). */
export async function runAll(opts: RunOptions & { inspect?: boolean; dryRun?: boolean }) {
  if (opts.inspect !== false) await runInspect(opts);
  const gen = await runGenerate(opts);
  if (gen.dryRun) return { generate: gen };
  const augment = await runAugment(opts);
  const qc = await runQcStage(opts);
  const synth = await runSynthesize(opts);
  return { generate: gen, augment, qc, synthesize: synth };
}
