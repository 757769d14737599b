// Rows from outside the pipeline: `mix.real` sources (human data mixed into the final set) and the
// datasets `mcp-forge qc` checks. Any of the three formats, or our own sample rows, is read into the
// neutral Sample form.
import { basename } from 'node:path';
import type { ForgeConfig } from '../config/types';
import { SCENARIOS, type Sample, type Scenario } from '../types';
import { fromHermes } from '../formats/hermes';
import { fromOpenAI } from '../formats/openai';
import { fromShareGPT } from '../formats/sharegpt';
import type { ParsedSample } from '../formats/types';
import { readJsonl, resolveInside } from '../util/files';
import { seedFrom } from '../util/rng';
import { ForgeError } from '../errors';

export type RowFormat = 'sample' | 'hermes' | 'openai' | 'sharegpt';

export function detectRowFormat(row: unknown): RowFormat {
  const r = (row ?? {}) as Record<string, unknown>;
  if (Array.isArray(r.conversations)) return 'sharegpt';
  if (!Array.isArray(r.messages)) throw new ForgeError('INPUT', 'Row has neither `messages` nor `conversations`: not a Hermes, OpenAI or ShareGPT row.');
  if (typeof r.seedId === 'string' && r.meta && typeof r.meta === 'object') return 'sample';
  const msgs = r.messages as { role?: string; content?: unknown; tool_calls?: unknown }[];
  if (msgs.some((m) => Array.isArray(m.tool_calls))) return 'openai';
  if (msgs.some((m) => typeof m.content === 'string' && /<tool_call>|<tools>/.test(m.content))) return 'hermes';
  return Array.isArray(r.tools) ? 'openai' : 'hermes';
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

/** Any supported row as a Sample (ids made stable from the position when the row has none). */
export function rowToSample(row: unknown, index: number, source: Sample['source'] = 'seed', label = 'row'): Sample {
  const format = detectRowFormat(row);
  if (format === 'sample') return row as Sample;
  const parsed = format === 'hermes' ? fromHermes(row) : format === 'openai' ? fromOpenAI(row) : fromShareGPT(row);
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

/** The `mix.real` rows: every source read, a `weight` < 1 keeps that share of its rows (deterministically). */
export async function realSamples(cfg: ForgeConfig, root: string): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const src of cfg.mix.real) {
    const path = resolveInside(root, cfg.dir, src.path, 'mix.real path');
    const label = `real-${basename(path).replace(/\.jsonl?$/, '')}`;
    let i = 0;
    for await (const row of readJsonl(path)) {
      const keep = src.weight === undefined || src.weight >= 1 || seedFrom(cfg.seed, label, i) / 4294967296 < src.weight;
      const s = rowToSample(row, i++, 'real', label);
      if (keep) out.push({ ...s, source: 'real', reasons: undefined });
    }
  }
  return out;
}
