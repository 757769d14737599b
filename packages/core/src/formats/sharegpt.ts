// ShareGPT with tools, in LLaMA-Factory's convention (dataset_info.json: "formatting": "sharegpt",
// columns {messages: "conversations", tools: "tools"}):
// - `conversations: [{from, value}]` with from = system | human | gpt | function_call | observation;
//   after an optional leading system turn, human/observation sit at odd positions and
//   gpt/function_call at even ones, and the list ends on an even one (LLaMA-Factory skips other rows).
// - function_call value: `{"name", "arguments"}` as JSON, or a JSON list of them for parallel calls.
//   Text the assistant said before its calls has no slot there and is left out.
// - observation value: the tool result text; results of parallel calls are joined with
//   "\n</tool_response>\n<tool_response>\n" (LLaMA-Factory's own joining, so templates that wrap an
//   observation in <tool_response> show one block per result).
// - `tools`: a JSON string of bare function definitions `[{name, description, parameters}]`, which
//   every LLaMA-Factory version reads (newer ones also accept the wrapped OpenAI shape).
// Axolotl reads the same file with its chat_template loader (field_messages: conversations).
import type { Message, Sample, ToolDef } from '../types';
import { isPlainObject, pyJson, tryParseJson } from './json';
import { CallIds, pairToolResults } from './pairing';
import { functionDefFromUnknown, offeredTools, toFunctionDef } from './tools';
import type { FunctionDef, ParsedCall, ParsedSample } from './types';

export type ShareGPTRole = 'system' | 'human' | 'gpt' | 'function_call' | 'observation';

export interface ShareGPTRow {
  conversations: { from: ShareGPTRole; value: string }[];
  /** JSON text of the tool list (LLaMA-Factory reads a string column). */
  tools: string;
}

export const OBSERVATION_SEPARATOR = '\n</tool_response>\n<tool_response>\n';

export function toShareGPT(sample: Sample, tools: ToolDef[]): ShareGPTRow {
  const conversations: ShareGPTRow['conversations'] = [];
  const msgs = sample.messages;
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    if (m.role === 'tool') {
      const results: string[] = [];
      for (; i < msgs.length && msgs[i].role === 'tool'; i++) results.push(msgs[i].content ?? '');
      i--;
      conversations.push({ from: 'observation', value: results.join(OBSERVATION_SEPARATOR) });
    } else if (m.role === 'assistant' && m.tool_calls?.length) {
      const calls = m.tool_calls.map((c) => ({ name: c.name, arguments: c.arguments ?? c.raw ?? {} }));
      conversations.push({ from: 'function_call', value: pyJson(calls.length === 1 ? calls[0] : calls) });
    } else {
      const from: ShareGPTRole = m.role === 'system' ? 'system' : m.role === 'user' ? 'human' : 'gpt';
      conversations.push({ from, value: m.content ?? '' });
    }
  }
  return { conversations, tools: JSON.stringify(offeredTools(sample, tools).map(toFunctionDef)) };
}

const FROM: Record<string, Message['role'] | 'function_call'> = {
  system: 'system',
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  assistant: 'assistant',
  function_call: 'function_call',
  observation: 'tool',
  tool: 'tool',
};

export function fromShareGPT(row: unknown): ParsedSample {
  const problems: string[] = [];
  const r = isPlainObject(row) ? row : {};
  if (!Array.isArray(r.conversations)) return { messages: [], tools: [], problems: ['row has no "conversations" array'] };
  const ids = new CallIds();
  const messages: Message[] = [];
  r.conversations.forEach((raw, i) => {
    const m = isPlainObject(raw) ? raw : {};
    const kind = FROM[String(m.from ?? m.role)];
    const value = typeof m.value === 'string' ? m.value : typeof m.content === 'string' ? m.content : '';
    if (!kind) problems.push(`conversations[${i}]: unknown "from" ${JSON.stringify(m.from ?? m.role)}`);
    else if (kind === 'function_call') {
      messages.push({ role: 'assistant', content: null, tool_calls: ids.toToolCalls(readCalls(value, i, problems)) });
    } else if (kind === 'tool') {
      for (const part of value.split(OBSERVATION_SEPARATOR)) messages.push({ role: 'tool', content: part });
    } else messages.push({ role: kind, content: value });
  });
  problems.push(...pairToolResults(messages));
  return { messages, tools: readTools(r.tools, problems), problems };
}

function readCalls(value: string, i: number, problems: string[]): ParsedCall[] {
  const parsed = tryParseJson(value);
  if (!parsed.ok) {
    problems.push(`conversations[${i}]: function_call is not valid JSON (${parsed.error})`);
    return [{ name: /"name"\s*:\s*"([^"]*)"/.exec(value)?.[1] ?? '', arguments: undefined, raw: value }];
  }
  const list = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  return list.map((c) => {
    if (!isPlainObject(c) || typeof c.name !== 'string') {
      problems.push(`conversations[${i}]: a function_call has no "name"`);
      return { name: '', arguments: undefined, raw: JSON.stringify(c) };
    }
    let args: unknown = c.arguments ?? {};
    if (typeof args === 'string') {
      const inner = tryParseJson(args);
      if (inner.ok) args = inner.value;
      else return { name: c.name, arguments: undefined, raw: args };
    }
    return { name: c.name, arguments: args };
  });
}

function readTools(tools: unknown, problems: string[]): FunctionDef[] {
  if (tools === undefined || tools === null || tools === '') return [];
  let list: unknown = tools;
  if (typeof tools === 'string') {
    const parsed = tryParseJson(tools);
    if (!parsed.ok) {
      problems.push(`tools: not valid JSON (${parsed.error})`);
      return [];
    }
    list = parsed.value;
  }
  const out: FunctionDef[] = [];
  for (const t of Array.isArray(list) ? list : [list]) {
    const def = functionDefFromUnknown(t);
    if (def) out.push(def);
    else problems.push('tools: an entry has no function name');
  }
  return out;
}
