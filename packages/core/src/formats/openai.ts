// The OpenAI fine-tuning / TRL shape: {messages, tools, parallel_tool_calls?}.
//
// - No synthetic system message: the tools travel in `tools`, and the trainer's chat template (or
//   OpenAI) renders them. A system message the sample already has is kept.
// - Assistant calls: `tool_calls: [{id, type: 'function', function: {name, arguments}}]` with
//   `arguments` a JSON string and `content` null (or the text said before the calls).
// - Tool results: `{role: 'tool', tool_call_id, content}` (no `name`: not part of the fine-tuning
//   schema; the chat template finds the name through the id).
// - `parallel_tool_calls: true` on rows where one assistant turn makes several calls; absent
//   elsewhere (the API default), so single-call rows do not teach "parallel calls are off".
import type { Message, Sample, ToolCall, ToolDef } from '../types';
import { isPlainObject, jsonEqual, toPlainJson, tryParseJson } from './json';
import { CallIds, pairToolResults } from './pairing';
import { functionDefFromUnknown, offeredTools, toFunctionTool } from './tools';
import type { FunctionDef, FunctionTool, ParsedSample } from './types';

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type OpenAIMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: OpenAIToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface OpenAIRow {
  messages: OpenAIMessage[];
  tools: FunctionTool[];
  parallel_tool_calls?: boolean;
}

export function toOpenAI(sample: Sample, tools: ToolDef[]): OpenAIRow {
  const row: OpenAIRow = {
    messages: sample.messages.map(openaiMessage),
    tools: offeredTools(sample, tools).map(toFunctionTool),
  };
  if (sample.messages.some((m) => (m.tool_calls?.length ?? 0) > 1)) row.parallel_tool_calls = true;
  return row;
}

function openaiMessage(m: Message): OpenAIMessage {
  switch (m.role) {
    case 'assistant': {
      if (!m.tool_calls?.length) return { role: 'assistant', content: m.content ?? '' };
      return { role: 'assistant', content: m.content || null, tool_calls: m.tool_calls.map(openaiCall) };
    }
    case 'tool':
      return { role: 'tool', tool_call_id: m.tool_call_id ?? '', content: m.content ?? '' };
    default:
      return { role: m.role, content: m.content ?? '' };
  }
}

function openaiCall(c: ToolCall): OpenAIToolCall {
  const args = c.arguments === undefined ? (c.raw ?? '{}') : JSON.stringify(c.arguments);
  return { id: c.id, type: 'function', function: { name: c.name, arguments: args } };
}

/**
 * Reads an OpenAI / TRL row back. Accepts `arguments` as a JSON string (OpenAI) or an object (many
 * TRL datasets), content as a string or text parts, tools wrapped or bare.
 */
export function fromOpenAI(row: unknown): ParsedSample {
  const problems: string[] = [];
  const r = isPlainObject(row) ? row : {};
  if (!Array.isArray(r.messages)) return { messages: [], tools: [], problems: ['row has no "messages" array'] };
  const ids = new CallIds();
  const messages: Message[] = [];
  r.messages.forEach((raw, i) => {
    const m = isPlainObject(raw) ? raw : {};
    const role = m.role;
    if (role !== 'system' && role !== 'user' && role !== 'assistant' && role !== 'tool') {
      problems.push(`messages[${i}]: unknown role "${String(role)}"`);
      return;
    }
    const content = textOf(m.content);
    const msg: Message = { role, content };
    if (role === 'assistant' && Array.isArray(m.tool_calls) && m.tool_calls.length > 0) {
      msg.tool_calls = m.tool_calls.map((tc, k) => readCall(tc, ids, `messages[${i}].tool_calls[${k}]`, problems));
    } else if (role !== 'assistant' && msg.content === null) msg.content = '';
    if (role === 'tool') {
      if (typeof m.tool_call_id === 'string') msg.tool_call_id = m.tool_call_id;
      if (typeof m.name === 'string') msg.name = m.name;
    }
    messages.push(msg);
  });
  problems.push(...pairToolResults(messages));
  const tools = readTools(Array.isArray(r.tools) ? r.tools : [], problems);
  return { messages, tools, problems };
}

// A dataset repeats the same tool list on every row: when a row's list equals the previous row's,
// its definitions are reused (comparing is cheaper than normalising every schema again, which
// copies it), as formats/hermes.ts does for a repeated system prompt.
let lastTools: { raw: unknown[]; defs: FunctionDef[]; problems: string[] } | undefined;

function readTools(raw: unknown[], problems: string[]): FunctionDef[] {
  if (!lastTools || !jsonEqual(raw, lastTools.raw)) {
    const defs: FunctionDef[] = [];
    const found: string[] = [];
    for (const t of raw) {
      const def = functionDefFromUnknown(t);
      if (def) defs.push(def);
      else found.push('tools: an entry has no function name');
    }
    // A copy: the caller may change its row afterwards, and then it is another list.
    lastTools = { raw: toPlainJson(raw), defs, problems: found };
  }
  problems.push(...lastTools.problems);
  return [...lastTools.defs];
}

function readCall(tc: unknown, ids: CallIds, at: string, problems: string[]): ToolCall {
  const c = isPlainObject(tc) ? tc : {};
  const fn = isPlainObject(c.function) ? c.function : c;
  const id = typeof c.id === 'string' && c.id ? c.id : ids.next();
  const name = typeof fn.name === 'string' ? fn.name : '';
  if (!name) problems.push(`${at}: no function name`);
  const args = fn.arguments;
  if (typeof args !== 'string') return { id, name, arguments: args ?? {} };
  const parsed = tryParseJson(args);
  if (parsed.ok) return { id, name, arguments: parsed.value };
  problems.push(`${at}: arguments are not valid JSON (${parsed.error})`);
  return { id, name, arguments: undefined, raw: args };
}

/** String content, or the text parts of a content array joined; null stays null. */
function textOf(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (isPlainObject(p) && typeof p.text === 'string' ? p.text : ''))
      .join('');
  }
  return null;
}
