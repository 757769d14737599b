// Ground truth of an eval row, in BFCL's possible_answer style, from the row itself:
// - standard, multiple, edge, error: the calls of the first assistant turn;
// - parallel, parallel_multiple: the calls of the first assistant turn, matched in any order;
// - no_tool, irrelevance: no call at the first assistant turn;
// - ambiguous: a clarifying question (no call) at the first assistant turn, and the first later
//   turn with calls (after the user's answer), when the row goes on;
// - multi_turn, sequential and any other scenario: every assistant turn that makes calls, and every
//   turn that answers a user message directly, each given the conversation before it. Turns that
//   only sum up tool results are not scored.
// Per parameter the acceptable values are the row's value and its equivalent forms: `""` (may be
// omitted) when the value is the schema's default, and for a parameter the row leaves out that has a
// default, the default or nothing.
import { toFunctionDef } from '../formats/tools';
import type { Message, Sample, ToolCall, ToolDef } from '../types';
import { isDict, pyEquals } from './py-value';
import type { ExpectedCall, FunctionDoc, TruthRow, TruthTurn } from './types';

/** The file synthesize writes beside the eval split. */
export const EVAL_TRUTH_FILE = 'eval.truth.jsonl';

const FIRST_CALL_SCENARIOS = new Set(['standard', 'multiple', 'edge', 'error', 'parallel', 'parallel_multiple', 'simple']);
const NO_CALL_SCENARIOS = new Set(['no_tool', 'irrelevance']);

type Schema = Record<string, unknown>;

const propsOf = (schema: unknown): Record<string, unknown> => (isDict(schema) && isDict(schema.properties) ? schema.properties : {});
const requiredOf = (schema: unknown): string[] => (isDict(schema) && Array.isArray(schema.required) ? (schema.required as string[]) : []);
const hasDefault = (schema: unknown): schema is Schema => isDict(schema) && 'default' in schema;

/** A dict value as BFCL writes it: every key's value a list of alternatives. */
function dictAnswer(value: Record<string, unknown>, schema: unknown): Record<string, unknown[]> {
  const props = propsOf(schema);
  const required = requiredOf(schema);
  const out: Record<string, unknown[]> = {};
  for (const [k, v] of Object.entries(value)) out[k] = alternativesFor(v, props[k], required.includes(k));
  return out;
}

function itemsSchema(schema: unknown): unknown {
  return isDict(schema) ? schema.items : undefined;
}

/** The acceptable values of one parameter the row gives. */
export function alternativesFor(value: unknown, schema: unknown, required: boolean): unknown[] {
  // An optional parameter given as null (strict mode's way of leaving it out) may be omitted.
  if (value === null && !required) return ['', null];
  let main: unknown = value;
  if (isDict(value)) main = dictAnswer(value, schema);
  else if (Array.isArray(value) && value.length > 0 && value.every(isDict)) main = value.map((v) => dictAnswer(v as Record<string, unknown>, itemsSchema(schema)));
  const out = [main];
  if (!required && hasDefault(schema) && pyEquals(schema.default, value)) out.push('');
  return out;
}

/** One call of the row as an expected call, over the tool's schema. */
export function expectedCall(call: ToolCall, tool: ToolDef | undefined): ExpectedCall {
  const params = tool ? toFunctionDef(tool).parameters : {};
  const props = propsOf(params);
  const required = requiredOf(params);
  const args = isDict(call.arguments) ? call.arguments : {};
  const answer: Record<string, unknown[]> = {};
  for (const [p, v] of Object.entries(args)) answer[p] = alternativesFor(v, props[p], required.includes(p));
  for (const [p, schema] of Object.entries(props)) {
    if (!(p in answer) && !required.includes(p) && hasDefault(schema)) answer[p] = [schema.default, ''];
  }
  return { [call.name]: answer };
}

function assistantTurns(messages: Message[]): number[] {
  return messages.flatMap((m, i) => (m.role === 'assistant' ? [i] : []));
}

const hasCalls = (m: Message) => (m.tool_calls?.length ?? 0) > 0;

/** Which assistant turns are scored, and what each expects. */
function truthTurns(sample: Sample, toolByName: Map<string, ToolDef>): TruthTurn[] {
  const msgs = sample.messages;
  const turns = assistantTurns(msgs);
  const callsAt = (i: number): TruthTurn => ({ at: i, expect: 'calls', calls: (msgs[i].tool_calls ?? []).map((c) => expectedCall(c, toolByName.get(c.name))) });
  const scenario = String(sample.scenario);
  if (turns.length === 0) return [];
  const first = turns[0];
  if (NO_CALL_SCENARIOS.has(scenario)) return [{ at: first, expect: 'no_call', calls: [] }];
  if (FIRST_CALL_SCENARIOS.has(scenario)) return hasCalls(msgs[first]) ? [callsAt(first)] : [{ at: first, expect: 'no_call', calls: [] }];
  if (scenario === 'ambiguous') {
    const out: TruthTurn[] = [hasCalls(msgs[first]) ? callsAt(first) : { at: first, expect: 'clarify', calls: [] }];
    const later = turns.find((i) => i > first && hasCalls(msgs[i]));
    if (later !== undefined) out.push(callsAt(later));
    return out;
  }
  return turns.flatMap((i): TruthTurn[] => {
    if (hasCalls(msgs[i])) return [callsAt(i)];
    return msgs[i - 1]?.role === 'user' ? [{ at: i, expect: 'no_call', calls: [] }] : [];
  });
}

/** The truth line of one eval row: conversation, offered tools and the turns to score. */
export function truthRow(sample: Sample, tools: ToolDef[]): TruthRow {
  const toolByName = new Map(tools.map((t) => [t.name, t]));
  const offered = sample.tools.length > 0 ? sample.tools : tools.map((t) => t.name);
  const functions: FunctionDoc[] = offered.flatMap((n) => {
    const t = toolByName.get(n);
    return t ? [toFunctionDef(t)] : [];
  });
  return { id: sample.id, category: String(sample.scenario), functions, messages: sample.messages, turns: truthTurns(sample, toolByName) };
}
