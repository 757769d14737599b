// Rows from outside the pipeline: `mix.real` sources (human data mixed into the final set) and the
// datasets `mcp-forge qc` checks. Any of the three formats, or our own sample rows, is read into the
// neutral Sample form.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { ForgeConfig } from '../config/types';
import { SCENARIOS, type Sample, type Scenario } from '../types';
import { detectFormat, FORMATS } from '../formats';
import type { FormatName, ParsedSample } from '../formats/types';
import { readJsonl, resolveInside } from '../util/files';
import { seedFrom } from '../util/rng';
import { ForgeError } from '../errors';

export type RowFormat = FormatName | 'sample';

/** Our own sample rows, or the training format of an external row (formats/detectFormat). */
export function detectRowFormat(row: unknown): RowFormat {
  const r = (row ?? {}) as Record<string, unknown>;
  if (Array.isArray(r.messages) && typeof r.seedId === 'string' && r.meta && typeof r.meta === 'object') return 'sample';
  const format = detectFormat(row);
  if (!format) throw new ForgeError('INPUT', 'Row has neither `messages` nor `conversations`: not a Hermes, OpenAI or ShareGPT row.');
  return format;
}

function inferScenario(p: ParsedSample): Scenario {
  if (p.scenario && (SCENARIOS as readonly string[]).includes(p.scenario)) return p.scenario as Scenario;
  const callTurns = p.messages.filter((m) => m.tool_calls?.length);
  if (!callTurns.length) return 'no_tool';
  if (callTurns.some((m) => (m.tool_calls?.length ?? 0) >= 2)) return 'parallel';
  if (p.messages.filter((m) => m.role === 'user').length >= 2) return 'multi_turn';
  if (p.messages.some((m) => m.role === 'tool' && /^\s*error\b/i.test(m.content ?? ''))) return 'error';
  return 'standard';
}

/**
 * A system prompt that lists tools (`<tools>` block, e.g. Nous' function-calling prompt): the formats
 * write the tool list again from tools.lock.json, so it is left out. Any other leading system prompt
 * is the row author's own instruction and is kept.
 */
function isToolPrompt(content: string | null): boolean {
  return /<tools>/.test(content ?? '');
}

/**
 * `id`, `scenario`, `source` and `tool_name` beside a row's format fields (many datasets carry them,
 * e.g. OpenAI rows with a `scenario`), where the format reader did not take them itself.
 */
function withRowFields(parsed: ParsedSample, row: unknown): ParsedSample {
  const r = (row ?? {}) as Record<string, unknown>;
  const out = { ...parsed };
  if (out.id === undefined && (typeof r.id === 'string' || typeof r.id === 'number')) out.id = String(r.id);
  if (out.scenario === undefined && typeof r.scenario === 'string') out.scenario = r.scenario;
  if (out.source === undefined && (r.source === 'seed' || r.source === 'augmented' || r.source === 'real')) out.source = r.source;
  if (out.tool_name === undefined && (typeof r.tool_name === 'string' || r.tool_name === null)) out.tool_name = r.tool_name as string | null;
  return out;
}

/** Any supported row as a Sample (ids made stable from the position when the row has none). */
export function rowToSample(row: unknown, index: number, source: Sample['source'] = 'seed', label = 'row'): Sample {
  const format = detectRowFormat(row);
  if (format === 'sample') return row as Sample;
  const parsed = withRowFields(FORMATS[format].parse(row), row);
  const id = parsed.id ?? `${label}-${index}`;
  const calls = parsed.messages.flatMap((m) => m.tool_calls ?? []);
  return {
    id,
    seedId: id,
    source: parsed.source ?? source,
    scenario: inferScenario(parsed),
    tool_name: parsed.tool_name ?? calls[0]?.name ?? null,
    tools: parsed.tools.map((t) => t.name),
    messages: parsed.messages.filter((m, i) => m.role !== 'system' || (i === 0 && !isToolPrompt(m.content))),
    meta: { provider: 'external', model: 'unknown', seed: 0, format },
    reasons: parsed.problems.length ? parsed.problems.map((p) => `structure: ${p}`) : undefined,
  };
}

/**
 * The `mix.real` rows: every source read, a `weight` < 1 keeps that share of its rows (deterministically).
 * These rows skip QC, so a row that does not read cleanly, or offers a tool the servers do not have
 * (`tools`: the lock's tool names), stops the build with its file and row rather than going into the
 * training data broken or being dropped unseen. A row that lists no tools is offered the tools it calls.
 */
export async function realSamples(cfg: ForgeConfig, root: string, tools?: string[]): Promise<Sample[]> {
  const out: Sample[] = [];
  const known = tools ? new Set(tools) : undefined;
  for (const src of cfg.mix.real) {
    const path = resolveInside(root, cfg.dir, src.path, 'mix.real path');
    if (!existsSync(path)) throw new ForgeError('CONFIG', `mix.real: ${src.path} not found (${path}).`, 'Fix the path in forge.yaml (it is relative to forge.yaml) or remove the entry.');
    const label = `real-${basename(path).replace(/\.jsonl?$/, '')}`;
    let i = 0;
    for await (const row of readJsonl(path)) {
      const at = `mix.real ${src.path} row ${i + 1}`;
      const keep = src.weight === undefined || src.weight >= 1 || seedFrom(cfg.seed, label, i) / 4294967296 < src.weight;
      let s: Sample;
      try {
        s = rowToSample(row, i++, 'real', label);
      } catch (err) {
        throw new ForgeError('INPUT', `${at}: ${(err as Error).message}`, 'Fix or remove the row.');
      }
      if (s.reasons?.length) throw new ForgeError('INPUT', `${at} does not read cleanly: ${s.reasons.join('; ')}`, 'Fix or remove the row.');
      const called = [...new Set(s.messages.flatMap((m) => (m.tool_calls ?? []).map((c) => c.name)))];
      const offered = s.tools.length ? s.tools : called;
      const unknown = known ? [...new Set([...offered, ...called])].filter((n) => !known.has(n)) : [];
      if (unknown.length) {
        throw new ForgeError('INPUT', `${at} uses tool${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}, which the server${cfg.servers.length > 1 ? 's do' : ' does'} not have (tools: ${[...known!].join(', ')}).`, 'Fix or remove the row, or add the server that has the tool to forge.yaml.');
      }
      if (keep) out.push({ ...s, tools: offered, source: 'real', reasons: undefined });
    }
  }
  return out;
}
