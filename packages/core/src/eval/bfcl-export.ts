// The eval split as BFCL v3 files, so that the upstream checker can score it too:
//   <dir>/BFCL_v3_<category>.json                  question lines {id, question: [[messages]], function}
//   <dir>/possible_answer/BFCL_v3_<category>.json  answer lines {id, ground_truth: [{fn: {param: [..]}}]}
//   <dir>/ids.json                                 BFCL id -> our row id and turn
// Each scored turn is one single-turn entry (the conversation before it is the question). Category:
// no call expected -> irrelevance (no answer file, as upstream); one call -> simple with one offered
// function, else multiple; several calls -> parallel, or parallel_multiple across functions. Ids are
// `<category>_<n>` because BFCL reads the category from the id. Files are JSON Lines, as upstream.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/files';
import type { Message } from '../types';
import { isDict, pyJsonStringify } from './py-value';
import type { FunctionDoc, TruthRow, TruthTurn } from './types';

/** JSON Schema as BFCL writes it: `dict` for objects, `float` for numbers, an object root always. */
export function bfclSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(bfclSchema);
  if (!isDict(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'type') {
      const t = Array.isArray(v) ? (v.find((x) => x !== 'null') ?? 'string') : v;
      out.type = t === 'object' ? 'dict' : t === 'number' ? 'float' : t;
    } else if (k === 'properties' && isDict(v)) out.properties = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, bfclSchema(s)]));
    else if (k === 'items' || k === 'additionalProperties') out[k] = bfclSchema(v);
    else if (k !== '$schema') out[k] = v;
  }
  return out;
}

function bfclFunction(f: FunctionDoc): Record<string, unknown> {
  const params = bfclSchema(f.parameters) as Record<string, unknown>;
  return { name: f.name, description: f.description ?? '', parameters: { ...params, type: 'dict', properties: params.properties ?? {}, required: params.required ?? [] } };
}

function questionMessages(messages: Message[]): Record<string, unknown>[] {
  return messages.map((m) => ({
    role: m.role,
    content: m.content ?? '',
    ...(m.tool_calls?.length ? { tool_calls: m.tool_calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments ?? {}) } })) } : {}),
    ...(m.tool_call_id ? { tool_call_id: m.tool_call_id } : {}),
  }));
}

export function bfclCategory(turn: TruthTurn, functions: number): string {
  if (turn.calls.length === 0) return 'irrelevance';
  const names = new Set(turn.calls.map((c) => Object.keys(c)[0]));
  if (turn.calls.length === 1) return functions > 1 ? 'multiple' : 'simple';
  return names.size > 1 || functions > 1 ? 'parallel_multiple' : 'parallel';
}

export interface BfclExport {
  dir: string;
  /** Entries per BFCL category. */
  counts: Record<string, number>;
}

export function exportBfcl(rows: TruthRow[], dir: string): BfclExport {
  const questions = new Map<string, string[]>();
  const answers = new Map<string, string[]>();
  const ids: Record<string, { row: string; turn: number; scenario: string }> = {};
  for (const row of rows) {
    for (const turn of row.turns) {
      const category = bfclCategory(turn, row.functions.length);
      const q = questions.get(category) ?? [];
      const id = `${category}_${q.length}`;
      q.push(JSON.stringify({ id, question: [questionMessages(row.messages.slice(0, turn.at))], function: row.functions.map(bfclFunction) }));
      questions.set(category, q);
      if (category !== 'irrelevance') answers.set(category, [...(answers.get(category) ?? []), pyJsonStringify({ id, ground_truth: turn.calls })]);
      ids[id] = { row: row.id, turn: turn.at, scenario: row.category };
    }
  }
  mkdirSync(join(dir, 'possible_answer'), { recursive: true });
  const counts: Record<string, number> = {};
  for (const [category, lines] of questions) {
    // Upstream files have no newline after the last line.
    writeFileAtomic(join(dir, `BFCL_v3_${category}.json`), lines.join('\n'));
    counts[category] = lines.length;
  }
  for (const [category, lines] of answers) writeFileAtomic(join(dir, 'possible_answer', `BFCL_v3_${category}.json`), lines.join('\n'));
  writeFileAtomic(join(dir, 'ids.json'), `${JSON.stringify(ids, null, 2)}\n`);
  return { dir, counts };
}
