// Planted semantic defects for `mcp-forge qc`: clean rows come from the offline generator on the
// weather dataset's real tools (every result simulated), and each defect row is a copy of another
// generated row with one thing made wrong, as models get it wrong:
//   ungrounded_answer        the answer repeats the request, or states numbers no result contains
//   result_contradicts_call  the simulated result names another value under the call's own key
//   dependent_parallel_calls a turn that sets an alert and lists alerts at once, or uses a value from a sibling's result
//   tool_named_in_request    the user names the tool by its identifier
//   irrelevance_called       an irrelevance row that calls an offered tool anyway
//   error_unrelated          an error row whose failure has nothing to do with the call
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseConfigText } from '../../core/src/config';
import { OfflineProvider } from '../../core/src/llm/offline/provider';
import { buildPlan } from '../../core/src/stages/plan';
import { generateSeeds } from '../../core/src/stages/generate';
import { renderArgs } from '../../core/src/llm/offline/text';
import { createRng, type Rng } from '../../core/src/util/rng';
import type { Message, Sample, ToolCall, ToolDef, ToolsLock } from '../../core/src/types';

export const SEMANTIC_DEFECTS = ['ungrounded_answer', 'result_contradicts_call', 'dependent_parallel_calls', 'tool_named_in_request', 'irrelevance_called', 'error_unrelated'] as const;
export type SemanticDefect = (typeof SEMANTIC_DEFECTS)[number];

export const WEATHER_LOCK = resolve(__dirname, '../../../datasets/weather-dataset/tools.lock.json');

export function weatherTools(): ToolDef[] {
  return (JSON.parse(readFileSync(WEATHER_LOCK, 'utf8')) as ToolsLock).tools;
}

/** Offline seeds of the weather tools (simulated results), all rule-clean. */
export async function generatedRows(samples: number, seed: number): Promise<{ rows: Sample[]; rejected: Sample[] }> {
  const tools = weatherTools();
  const cfg = parseConfigText(`server: { command: unused }\nsamples: ${samples}\nseed: ${seed}\n`, join(__dirname, 'forge.yaml'));
  const plan = buildPlan({ dataset: 'planted', cfg, tools, provider: 'offline', model: 'offline-rules-v1' });
  const { seeds, rejected } = await generateSeeds({ cfg, plan, tools, provider: new OfflineProvider() });
  return { rows: seeds, rejected };
}

function clone(s: Sample, id: string): Sample {
  return { ...structuredClone(s), id, seedId: id };
}

function lastAnswer(messages: Message[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'assistant' && !messages[i].tool_calls?.length) return i;
  return -1;
}

function jsonOf(text: string | null): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text ?? '');
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const UNRELATED_ERRORS = ['Error: disk quota exceeded on volume /var/lib/db', 'Error: invalid license key for this workspace', 'Error: mailbox is full', 'Error: printer is out of paper', 'Error: TLS certificate expired for host mail.example.org', 'Error: the spreadsheet is locked by another editor'];
const NAMING = ['Use {tool} for this: ', 'Call {tool} please. ', 'Run the {tool} tool: ', 'With {tool}, '];

/** A defect of `kind` planted in a copy of `base`, or undefined when the row cannot carry it. */
export function plant(kind: SemanticDefect, base: Sample, id: string, rng: Rng): Sample | undefined {
  const s = clone(base, id);
  const m = s.messages;
  const calls = m.flatMap((x) => x.tool_calls ?? []);
  switch (kind) {
    case 'ungrounded_answer': {
      const at = lastAnswer(m);
      if (at < 0 || !calls.length || m[at - 1]?.role !== 'tool' || ['error', 'ambiguous'].includes(s.scenario)) return undefined;
      m[at] = {
        role: 'assistant',
        content: rng.bool(0.5) ? `Done: ${renderArgs(calls[calls.length - 1].arguments)}. Everything went fine.` : `The result shows ${rng.int(31, 97)} percent and a value of ${rng.int(120, 990)}.${rng.int(1, 9)}, so you are all set.`,
      };
      return s;
    }
    case 'result_contradicts_call': {
      for (const r of m) {
        if (r.role !== 'tool') continue;
        const call = calls.find((c) => c.id === r.tool_call_id);
        const result = jsonOf(r.content);
        const args = call?.arguments as Record<string, unknown> | undefined;
        if (!call || !result || !args) continue;
        const key = Object.keys(args).find((k) => typeof args[k] === 'string' && result[k] === args[k]) ?? Object.keys(args).find((k) => typeof args[k] === 'number' && result[k] === args[k]);
        if (!key) continue;
        result[key] = typeof args[key] === 'number' ? (args[key] as number) + rng.int(7, 40) : rng.pick(['Springfield', 'Shelbyville', 'Ogdenville', 'North Haverbrook']);
        r.content = JSON.stringify(result);
        return s;
      }
      return undefined;
    }
    case 'dependent_parallel_calls': {
      if (s.scenario !== 'parallel_multiple' && s.scenario !== 'parallel') return undefined;
      const turn = m.findIndex((x) => (x.tool_calls?.length ?? 0) >= 2);
      if (turn < 0) return undefined;
      const set: ToolCall = { id: `${id}-set`, name: 'set_weather_alert', arguments: { city: 'Paris', condition: { metric: 'temperature', operator: 'above', threshold: 30 } } };
      const list: ToolCall = { id: `${id}-list`, name: 'list_alerts', arguments: {} };
      const n = m[turn].tool_calls!.length;
      m.splice(turn, 1 + n, { role: 'assistant', content: null, tool_calls: [set, list] }, { role: 'tool', tool_call_id: set.id, name: set.name, content: '{"status":"created","id":"alert-7f3a","city":"Paris"}' }, { role: 'tool', tool_call_id: list.id, name: list.name, content: 'No alerts set.' });
      s.tools = [...new Set([...s.tools, 'set_weather_alert', 'list_alerts'])];
      return s;
    }
    case 'tool_named_in_request': {
      if (!calls.length) return undefined;
      const first = m.findIndex((x) => x.role === 'user');
      m[first] = { ...m[first], content: `${rng.pick(NAMING).replace('{tool}', calls[0].name)}${m[first].content}` };
      return s;
    }
    case 'irrelevance_called': {
      if (s.scenario !== 'irrelevance' || !s.tools.length) return undefined;
      const at = lastAnswer(m);
      const call: ToolCall = { id: `${id}-c`, name: s.tools[0], arguments: s.tools[0] === 'list_alerts' ? {} : { city: 'Paris' } };
      m.splice(at, 0, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: call.id, name: call.name, content: '{"status":"ok"}' });
      return s;
    }
    case 'error_unrelated': {
      if (s.scenario !== 'error') return undefined;
      const failing = m.find((x) => x.role === 'tool' && /^error/i.test(x.content ?? ''));
      if (!failing) return undefined;
      const text = rng.pick(UNRELATED_ERRORS);
      const at = lastAnswer(m);
      failing.content = text;
      m[at] = { role: 'assistant', content: `Sorry, that did not work: ${text.replace(/^Error:\s*/, '')}. Shall I try again later?` };
      return s;
    }
  }
}

/** 300 clean rows with 30 defect rows of each kind mixed in (defect rows are copies of other generated rows). */
export async function plantedSemanticSet(clean = 300, perKind = 30, seed = 5): Promise<{ rows: Sample[]; truth: Map<string, SemanticDefect | 'clean'>; generated: number; generateRejected: number }> {
  const { rows: generated, rejected } = await generatedRows(1200, seed);
  const rng = createRng(seed);
  const shuffled = rng.shuffle([...generated]);
  const cleanRows = shuffled.slice(0, clean);
  const pool = shuffled.slice(clean);
  const truth = new Map<string, SemanticDefect | 'clean'>(cleanRows.map((r) => [r.id, 'clean']));
  const defects: Sample[] = [];
  for (const kind of SEMANTIC_DEFECTS) {
    let made = 0;
    for (let i = 0; i < pool.length && made < perKind; i++) {
      const row = plant(kind, pool[i], `${kind}-${made}`, rng);
      if (!row) continue;
      pool.splice(i--, 1);
      defects.push(row);
      truth.set(row.id, kind);
      made++;
    }
    if (made < perKind) throw new Error(`only ${made} rows can carry ${kind}`);
  }
  // Mixed in at random places.
  const rows = rng.shuffle([...cleanRows, ...defects]);
  return { rows, truth, generated: generated.length, generateRejected: rejected.length };
}
