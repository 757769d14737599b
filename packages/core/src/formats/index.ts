// The training formats by name, and format detection for external datasets (`mcp-forge qc`).
import type { Sample, ToolDef } from '../types';
import { isPlainObject } from './json';
import { fromHermes, toHermes } from './hermes';
import { fromHf, toHf } from './hf';
import { fromOpenAI, toOpenAI } from './openai';
import { fromShareGPT, toShareGPT } from './sharegpt';
import type { FormatName, ParsedSample } from './types';

export interface FormatSpec {
  name: FormatName;
  /** One JSONL row for a sample. */
  render(sample: Sample, tools: ToolDef[]): unknown;
  /** A row of this format (ours or external) read back into the neutral form. */
  parse(row: unknown): ParsedSample;
}

export const FORMATS: Record<FormatName, FormatSpec> = {
  hermes: { name: 'hermes', render: toHermes, parse: fromHermes },
  openai: { name: 'openai', render: toOpenAI, parse: fromOpenAI },
  sharegpt: { name: 'sharegpt', render: toShareGPT, parse: fromShareGPT },
  hf: { name: 'hf', render: toHf, parse: fromHf },
};

/** Where a format's split files go, relative to the output dir (the dataset card's `configs`). */
export function formatFilePaths(format: FormatName): { train: string; eval: string } {
  return { train: `${format}/train.jsonl`, eval: `${format}/eval.jsonl` };
}

/**
 * Guesses the format of one row of an external dataset; null when it looks like none of them.
 * - `conversations` with function_call/observation turns: sharegpt; with `tool` turns or Hermes
 *   markup in system/assistant turns (Nous Hermes datasets): hermes; other rows: sharegpt.
 * - `messages` with structured `tool_calls` or a `tools` array: hf when a call's `arguments` is an
 *   object (or, in a row without calls, a tool message has a `name`), openai when it is a JSON
 *   string (the OpenAI API's spelling); Hermes markup in system/assistant/tool turns: hermes; plain chat: openai.
 * Markup in user turns does not count: a user may well ask what "<tool_call>" means.
 */
export function detectFormat(row: unknown): FormatName | null {
  if (!isPlainObject(row)) return null;
  if (Array.isArray(row.conversations)) {
    const turns = row.conversations.filter(isPlainObject);
    if (turns.length === 0 || !turns.every((t) => typeof t.from === 'string')) return null;
    if (turns.some((t) => t.from === 'function_call' || t.from === 'observation')) return 'sharegpt';
    if (turns.some((t) => t.from === 'tool' || hasHermesMarkup(String(t.from), t.value))) return 'hermes';
    return 'sharegpt';
  }
  if (Array.isArray(row.messages)) {
    const msgs = row.messages.filter(isPlainObject);
    if (msgs.length === 0 || !msgs.every((m) => typeof m.role === 'string')) return null;
    if (msgs.some((m) => Array.isArray(m.tool_calls) && m.tool_calls.length > 0) || Array.isArray(row.tools)) return structuredFormat(msgs);
    if (msgs.some((m) => hasHermesMarkup(String(m.role), m.content))) return 'hermes';
    return 'openai';
  }
  return null;
}

/** openai (string arguments) or hf (object arguments) for a row with structured calls or tools. */
function structuredFormat(msgs: Record<string, unknown>[]): 'openai' | 'hf' {
  for (const m of msgs) {
    if (!Array.isArray(m.tool_calls)) continue;
    for (const c of m.tool_calls) {
      const fn = isPlainObject(c) && isPlainObject(c.function) ? c.function : c;
      const args = isPlainObject(fn) ? fn.arguments : undefined;
      if (typeof args === 'string') return 'openai';
      if (isPlainObject(args)) return 'hf';
    }
  }
  return msgs.some((m) => m.role === 'tool' && typeof m.name === 'string') ? 'hf' : 'openai';
}

const MARKUP: Record<string, string> = {
  system: '<tools>',
  assistant: '<tool_call>',
  gpt: '<tool_call>',
  tool: '<tool_response>',
};

function hasHermesMarkup(role: string, text: unknown): boolean {
  return typeof text === 'string' && MARKUP[role] !== undefined && text.includes(MARKUP[role]);
}

/** Parses a row in the given format, or the detected one. */
export function parseRow(row: unknown, format?: FormatName): ParsedSample & { format: FormatName | null } {
  const f = format ?? detectFormat(row);
  if (!f) return { format: null, messages: [], tools: [], problems: ['row is in none of the known formats (hermes, openai, sharegpt, hf)'] };
  return { format: f, ...FORMATS[f].parse(row) };
}

export * from './types';
export { toHermes, fromHermes } from './hermes';
export type { HermesRow, HermesMessage } from './hermes';
export { toOpenAI, fromOpenAI } from './openai';
export { toHf, fromHf } from './hf';
export type { HfRow, HfMessage, HfToolCall } from './hf';
export { templateSafeParameters, MAX_DESCRIPTION, NULLABLE_NOTE } from './template-safe';
export type { OpenAIRow, OpenAIMessage, OpenAIToolCall } from './openai';
export { toShareGPT, fromShareGPT } from './sharegpt';
export type { ShareGPTRow, ShareGPTRole } from './sharegpt';
export { CHAT_TEMPLATE, PLAIN_CHATML_TEMPLATE, renderChat, renderPlainChatML, parseToolCalls, roundTrip } from './chat-template';
export { parseToolCallBlocks, formatToolCallBlock } from './tool-call-blocks';
export type { RoundTripResult, RenderOptions } from './chat-template';
export { functionCallingSystemPrompt } from './prompt';
export { toFunctionTool, toFunctionDef, functionParameters } from './tools';
