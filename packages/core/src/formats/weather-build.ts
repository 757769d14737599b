// Test helper: one real offline build of a weather dataset (the real weather MCP server as a child
// process, every stage through core) in a temporary workspace, for the acceptance specs of the
// output (formats, split, report, card). Not part of the library's API.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runAll, usableTools } from '../pipeline';
import { readLock } from '../mcp/lock-file';
import { bufferLogger } from '../util/log';
import type { Sample, ToolDef } from '../types';

export const REPO = resolve(__dirname, '../../../..');
export const WEATHER_SERVER = join(REPO, 'tools/weather-mcp-server/bin/weather-mcp-server.js');

/** Every scenario, multi_turn included as a share of the seeds. */
export const WEATHER_SCENARIOS = { standard: 0.3, multiple: 0.15, parallel: 0.07, parallel_multiple: 0.07, sequential: 0.07, multi_turn: 0.05, irrelevance: 0.08, no_tool: 0.07, error: 0.06, ambiguous: 0.04, edge: 0.04 };

export interface WeatherBuildOptions {
  samples?: number;
  factor?: number;
  /** Extra forge.yaml lines (top-level keys not set here). */
  extra?: string[];
  /** `thresholds` members (default `scenarioTolerance: 0.05`). */
  thresholds?: string;
  /** `mix` block lines, indented under `mix:`. */
  mix?: string[];
  /** Files written beside forge.yaml before the build (name -> content). */
  files?: Record<string, string>;
}

export interface WeatherBuild {
  root: string;
  /** Directory of forge.yaml. */
  dir: string;
  /** Output directory of the build. */
  out: string;
  tools: ToolDef[];
  /** accepted.jsonl: every row QC accepted (the input of the mix). */
  accepted: Sample[];
  log: string[];
  /** Lines of a JSONL file of the output dir, parsed. */
  rows<T = any>(path: string): T[];
  text(path: string): string;
  cleanup(): void;
}

export function readJsonlFile<T = any>(path: string): T[] {
  const text = readFileSync(path, 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as T);
}

export function weatherConfig(opts: WeatherBuildOptions = {}): string {
  const scenarios = Object.entries(WEATHER_SCENARIOS).map(([k, v]) => `  ${k}: ${v}`);
  return [
    'server:',
    '  command: node',
    `  args: [${JSON.stringify(WEATHER_SERVER)}]`,
    '  startupTimeoutMs: 20000',
    `samples: ${opts.samples ?? 100}`,
    'scenarios:',
    ...scenarios,
    `augmentation: { factor: ${opts.factor ?? 3} }`,
    `thresholds: { ${opts.thresholds ?? 'scenarioTolerance: 0.05'} }`,
    'output:',
    '  formats: [hermes, openai, sharegpt]',
    ...(opts.mix?.length ? ['mix:', ...opts.mix.map((l) => `  ${l}`)] : []),
    ...(opts.extra ?? []),
    'seed: 7',
  ].join('\n');
}

/** Runs inspect → generate → augment → qc → synthesize offline in a fresh temporary workspace. */
export async function buildWeatherDataset(opts: WeatherBuildOptions = {}): Promise<WeatherBuild> {
  const root = mkdtempSync(join(tmpdir(), 'forge-weather-'));
  const dir = join(root, 'datasets', 'weather');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'forge.yaml'), weatherConfig(opts));
  for (const [name, content] of Object.entries(opts.files ?? {})) writeFileSync(join(dir, name), content);
  const log = bufferLogger();
  try {
    await runAll({ config: dir, root, env: {}, log });
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`weather build failed: ${err instanceof Error ? err.message : String(err)}\n${log.lines.join('\n')}`);
  }
  const out = join(root, 'dist', 'datasets', 'weather');
  const tools = usableTools(readLock(join(dir, 'tools.lock.json')).tools);
  return {
    root,
    dir,
    out,
    tools,
    accepted: readJsonlFile<Sample>(join(out, 'accepted.jsonl')),
    log: log.lines,
    rows: (path) => readJsonlFile(join(out, path)),
    text: (path) => readFileSync(join(out, path), 'utf8'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
