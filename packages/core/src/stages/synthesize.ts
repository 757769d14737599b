// Synthesize stage: mixes the accepted rows (plus real data), splits them by seed family and writes
// every configured format, the report (HTML, Markdown, JSON) and the dataset card.
import { join } from 'node:path';
import type { ForgeConfig } from '../config/types';
import type { Sample, Scenario, ToolDef } from '../types';
import { JsonlWriter, readJsonl } from '../util/files';
import { projectMix, splitFamilies, type MixRow } from './mix';
import type { FormatName } from '../formats/types';
import { FORMATS, formatFilePaths } from '../formats';
import { realSamples } from './real';
import { RowTokenCounter, TokenStatsCollector, type TokenStats } from '../formats/tokens';
import { EVAL_TRUTH_FILE, truthRow } from '../eval/truth';
import type { Logger } from '../util/log';


export interface SynthesizeResult {
  files: { format: FormatName; split: 'train' | 'eval'; path: string; rows: number }[];
  counts: { train: number; eval: number; seeds: number; augmented: number; real: number; droppedAugmented: number };
  actualMix: Partial<Record<Scenario, number>>;
  samplesPerTool: Record<string, number>;
  trainScenarioShare: Partial<Record<Scenario, number>>;
  /** Row lengths in tokens; rows over `output.maxTokens` were dropped (tokens.dropped). */
  tokens: TokenStats;
}

export async function synthesize(opts: { cfg: ForgeConfig; accepted: string; outDir: string; tools: ToolDef[]; root: string; log?: Logger }): Promise<SynthesizeResult> {
  const { cfg, outDir, tools } = opts;
  const real = await realSamples(cfg, opts.root, tools.map((t) => t.name));
  // Pass 1: the compact view of every accepted row, for mixing and splitting.
  const rows: MixRow[] = [];
  for await (const s of readJsonl<Sample>(opts.accepted)) {
    rows.push({ id: s.id, seedId: s.seedId, source: s.source, scenario: s.scenario, score: s.meta?.judge?.score ?? 1, tool: s.tool_name });
  }
  for (const s of real) rows.push({ id: s.id, seedId: s.seedId, source: 'real', scenario: s.scenario, score: 1, tool: s.tool_name });
  // Progress lines on large sets only (mix, split and writing take seconds from about 10k rows).
  const progress = rows.length >= 10_000 ? opts.log?.progress?.bind(opts.log) : undefined;
  progress?.('mix', 0, rows.length);
  const mix = projectMix(rows, cfg);
  progress?.('mix', rows.length, rows.length);
  const chosen = rows.filter((r) => mix.selected.has(r.id));
  progress?.('split', 0, chosen.length);
  const evalFamilies = splitFamilies(chosen, cfg.mix.split.eval, cfg.seed);
  progress?.('split', chosen.length, chosen.length);

  const writers = new Map<string, JsonlWriter>();
  const files: SynthesizeResult['files'] = [];
  for (const format of cfg.output.formats) {
    const paths = formatFilePaths(format);
    for (const split of ['train', 'eval'] as const) {
      const path = join(outDir, paths[split]);
      writers.set(`${format}:${split}`, new JsonlWriter(path));
      files.push({ format, split, path, rows: 0 });
    }
  }
  // Ground truth of the eval split for `mcp-forge eval` (self-contained: conversation, tools, answers).
  const truth = new JsonlWriter(join(outDir, EVAL_TRUTH_FILE));
  const counts = { train: 0, eval: 0, seeds: 0, augmented: 0, real: 0, droppedAugmented: mix.droppedAugmented };
  const samplesPerTool: Record<string, number> = {};
  const trainScenario: Partial<Record<Scenario, number>> = {};
  // Rows longer than output.maxTokens are dropped from every format (and from the mix counts).
  const lengths = new TokenStatsCollector(cfg.output.maxTokens);
  const counter = new RowTokenCounter();
  const actualMix = { ...mix.actual };
  let seen = 0;
  const write = (s: Sample) => {
    progress?.('write', ++seen, rows.length);
    if (!mix.selected.has(s.id)) return;
    if (!lengths.add(counter.count(s, tools))) {
      if (actualMix[s.scenario]) actualMix[s.scenario]! -= 1;
      return;
    }
    const split = evalFamilies.has(s.seedId) ? 'eval' : 'train';
    counts[split]++;
    counts[s.source === 'seed' ? 'seeds' : s.source === 'augmented' ? 'augmented' : 'real']++;
    if (split === 'train') trainScenario[s.scenario] = (trainScenario[s.scenario] ?? 0) + 1;
    for (const name of new Set(s.messages.flatMap((m) => (m.tool_calls ?? []).map((c) => c.name)))) samplesPerTool[name] = (samplesPerTool[name] ?? 0) + 1;
    for (const format of cfg.output.formats) writers.get(`${format}:${split}`)!.write(FORMATS[format].render(s, tools));
    if (split === 'eval') truth.write(truthRow(s, tools));
  };
  // Pass 2: render in input order (deterministic), real rows last. On a failure no half-written
  // temporary file is left behind.
  try {
    for await (const s of readJsonl<Sample>(opts.accepted)) write(s);
    for (const s of real) write(s);
  } catch (err) {
    for (const w of [...writers.values(), truth]) w.abort();
    throw err;
  }
  for (const f of files) {
    const w = writers.get(`${f.format}:${f.split}`)!;
    f.rows = w.count;
    w.close();
  }
  truth.close();
  const trainScenarioShare: Partial<Record<Scenario, number>> = {};
  for (const [k, v] of Object.entries(trainScenario)) trainScenarioShare[k as Scenario] = counts.train ? v / counts.train : 0;
  return { files, counts, actualMix, samplesPerTool, trainScenarioShare, tokens: lengths.stats() };
}
