// The Hugging Face conversational format with tools: {messages, tools}, as TRL's SFTTrainer, Axolotl
// (`type: chat_template`), Unsloth and `tokenizer.apply_chat_template(messages, tools=tools)` read it.
//
// - Assistant calls: `tool_calls: [{id, type: 'function', function: {name, arguments}}]` with
//   `arguments` an OBJECT (chat templates render it with `tojson`; a JSON string would be rendered as
//   a quoted string by Qwen2.5 and others).
// - `content` is always a string: `""` on an assistant turn that only calls (Qwen3's template tests
//   `'</think>' in message.content`, which fails on null).
// - Tool results: `{role: 'tool', tool_call_id, name, content}` (`name`: Hermes-2-Pro templates read
//   it; `tool_call_id`: others pair results through it).
// - `tools`: the tools offered in the row, as OpenAI function objects (template-safe, tools.ts).
// No synthetic system message: the chat template writes the tool list itself.
import type { Message, Sample, ToolCall, ToolDef } from '../types';
import { fromOpenAI } from './openai';
import { offeredTools, toFunctionTool } from './tools';
import type { FunctionTool, ParsedSample } from './types';

export interface HfToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: unknown };
}

export type HfMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; tool_calls?: HfToolCall[] }
  | { role: 'tool'; tool_call_id: string; name: string; content: string };

export interface HfRow {
  messages: HfMessage[];
  tools: FunctionTool[];
}

export function toHf(sample: Sample, tools: ToolDef[]): HfRow {
  const names = new Map<string, string>();
  for (const m of sample.messages) for (const c of m.tool_calls ?? []) names.set(c.id, c.name);
  return {
    messages: sample.messages.map((m) => hfMessage(m, names)),
    tools: offeredTools(sample, tools).map(toFunctionTool),
  };
}

function hfMessage(m: Message, names: Map<string, string>): HfMessage {
  switch (m.role) {
    case 'assistant': {
      const content = m.content ?? '';
      if (!m.tool_calls?.length) return { role: 'assistant', content };
      return { role: 'assistant', content, tool_calls: m.tool_calls.map(hfCall) };
    }
    case 'tool': {
      const id = m.tool_call_id ?? '';
      return { role: 'tool', tool_call_id: id, name: m.name || names.get(id) || '', content: m.content ?? '' };
    }
    default:
      return { role: m.role, content: m.content ?? '' };
  }
}

function hfCall(c: ToolCall): HfToolCall {
  // A call whose arguments did not parse never reaches the output (QC rejects it); `{}` keeps the
  // shape an object if one ever did.
  const args = c.arguments !== undefined && c.arguments !== null && typeof c.arguments === 'object' ? c.arguments : {};
  return { id: c.id, type: 'function', function: { name: c.name, arguments: args } };
}

/** Reads an hf row back (the OpenAI reader accepts object arguments and tool `name`s). */
export function fromHf(row: unknown): ParsedSample {
  return fromOpenAI(row);
}
