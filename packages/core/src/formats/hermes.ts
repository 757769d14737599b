// The Hermes function-calling format (the default output, and the seed format).
//
// Row: {id, source, scenario, tool_name, messages}. messages[0] is the system prompt with the offered
// tools as JSON inside <tools></tools> (prompt.ts); assistant calls are written in the content as
// `<tool_call>\n{"name": ..., "arguments": {...}}\n</tool_call>` (text first, then one block per call,
// joined by "\n"); each tool result is its own role `tool` message whose content is
// `<tool_response>\n{"name": <tool>, "content": <result text as a JSON string>}\n</tool_response>`.
// Why a string `content` (Nous' own rows embed the result object): the result text stays lossless,
// and it is exactly what the chat template renders from an OpenAI-style `tool` message at inference.
// The rows carry all tool markup in their text, so they are meant for a plain ChatML template; a
// tools-aware template would wrap the results a second time.
import type { Message, Sample, ToolDef } from '../types';
import { isPlainObject, scanJsonValues } from './json';
import { CallIds, pairToolResults } from './pairing';
import { functionCallingSystemPrompt, ownSystemText } from './prompt';
import {
  formatToolCallBlock,
  formatToolResponse,
  isOnlyToolResponses,
  parseToolCallBlocks,
  readToolResponseBody,
  toolResponseBodies,
} from './tool-call-blocks';
import { functionDefFromUnknown, offeredTools, toFunctionTool } from './tools';
import type { FunctionDef, ParsedSample } from './types';

export interface HermesMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
}

export interface HermesRow {
  id: string;
  source: Sample['source'];
  scenario: Sample['scenario'];
  tool_name: string | null;
  messages: HermesMessage[];
}

export function toHermes(sample: Sample, tools: ToolDef[]): HermesRow {
  const offered = offeredTools(sample, tools).map(toFunctionTool);
  const messages: HermesMessage[] = [];
  let rest = sample.messages;
  const own = rest[0]?.role === 'system' ? (rest[0].content ?? '') : undefined;
  if (own !== undefined) rest = rest.slice(1);
  if (offered.length > 0) messages.push({ role: 'system', content: functionCallingSystemPrompt(offered, own) });
  else if (own !== undefined) messages.push({ role: 'system', content: own });
  for (const m of rest) messages.push(hermesMessage(m));
  return { id: sample.id, source: sample.source, scenario: sample.scenario, tool_name: sample.tool_name, messages };
}

function hermesMessage(m: Message): HermesMessage {
  if (m.role === 'assistant' && m.tool_calls?.length) {
    const parts = m.content ? [m.content] : [];
    for (const c of m.tool_calls) parts.push(formatToolCallBlock(c.name, c.arguments, c.raw));
    return { role: 'assistant', content: parts.join('\n') };
  }
  if (m.role === 'tool') return { role: 'tool', content: formatToolResponse(m.name ?? '', m.content ?? '') };
  return { role: m.role, content: m.content ?? '' };
}

const ROLE_ALIASES: Record<string, Message['role']> = {
  system: 'system',
  user: 'user',
  human: 'user',
  assistant: 'assistant',
  gpt: 'assistant',
  tool: 'tool',
  function: 'tool',
  ipython: 'tool',
  observation: 'tool',
};

/**
 * Reads a Hermes row back: ours, or an external one (Nous `conversations: [{from, value}]` too, with
 * or without a system prompt). Unparseable `<tool_call>` blocks stay as calls with
 * `arguments: undefined` and `raw`, and are listed in `problems`.
 */
export function fromHermes(row: unknown): ParsedSample {
  const problems: string[] = [];
  const r = isPlainObject(row) ? row : {};
  const list = Array.isArray(r.messages) ? r.messages : Array.isArray(r.conversations) ? r.conversations : undefined;
  if (!list) return { messages: [], tools: [], problems: ['row has neither "messages" nor "conversations"'] };
  const ids = new CallIds();
  const messages: Message[] = [];
  let tools: FunctionDef[] = [];
  list.forEach((raw, i) => {
    const m = isPlainObject(raw) ? raw : {};
    const roleName = String(m.role ?? m.from ?? '');
    const role = ROLE_ALIASES[roleName];
    const content = typeof m.content === 'string' ? m.content : typeof m.value === 'string' ? m.value : '';
    if (!role) {
      problems.push(`messages[${i}]: unknown role "${roleName}"`);
      return;
    }
    if (role === 'system' && i === 0) {
      tools = readToolsBlock(content, problems);
      const own = ownSystemText(content);
      if (own === undefined) messages.push({ role: 'system', content });
      else if (own) messages.push({ role: 'system', content: own });
      return;
    }
    if (role === 'assistant') {
      const blocks = parseToolCallBlocks(content);
      problems.push(...blocks.problems.map((p) => `messages[${i}]: ${p}`));
      if (blocks.calls.length === 0) messages.push({ role, content });
      else messages.push({ role, content: blocks.text || null, tool_calls: ids.toToolCalls(blocks.calls) });
      return;
    }
    if (role === 'tool' || (role === 'user' && isOnlyToolResponses(content))) {
      const bodies = toolResponseBodies(content);
      if (bodies.length === 0) bodies.push(content);
      for (const body of bodies) {
        const res = readToolResponseBody(body);
        const msg: Message = { role: 'tool', content: res.content };
        if (res.name) msg.name = res.name;
        messages.push(msg);
      }
      return;
    }
    messages.push({ role, content });
  });
  problems.push(...pairToolResults(messages));
  const out: ParsedSample = { messages, tools, problems };
  if (typeof r.id === 'string' || typeof r.id === 'number') out.id = String(r.id);
  if (r.source === 'seed' || r.source === 'augmented' || r.source === 'real') out.source = r.source;
  if (typeof r.scenario === 'string') out.scenario = r.scenario;
  if (typeof r.tool_name === 'string' || r.tool_name === null) out.tool_name = r.tool_name as string | null;
  return out;
}

// A dataset repeats the same system prompt on every row: its tools are parsed once (a few recent
// prompts are remembered), which keeps `mcp-forge qc` linear in the data, not in rows x tool schemas.
const toolsBlockMemo = new Map<string, { defs: FunctionDef[]; problems: string[] }>();

// The last prompt read, checked first: comparing with it is a plain text comparison, while a Map
// lookup first hashes the whole prompt (several KB) of every row.
let lastToolsBlock: { system: string; defs: FunctionDef[]; problems: string[] } | undefined;

function readToolsBlock(system: string, problems: string[]): FunctionDef[] {
  if (lastToolsBlock && lastToolsBlock.system === system) {
    problems.push(...lastToolsBlock.problems);
    return [...lastToolsBlock.defs];
  }
  let hit = toolsBlockMemo.get(system);
  if (!hit) {
    const found: string[] = [];
    hit = { defs: parseToolsBlock(system, found), problems: found };
    if (toolsBlockMemo.size >= 16) toolsBlockMemo.delete(toolsBlockMemo.keys().next().value as string);
    toolsBlockMemo.set(system, hit);
  }
  lastToolsBlock = { system, ...hit };
  problems.push(...hit.problems);
  return [...hit.defs];
}

function parseToolsBlock(system: string, problems: string[]): FunctionDef[] {
  // Prompts mention the tags in prose ("inside <tools></tools> XML tags") before the real block.
  const blocks = [...system.matchAll(/<tools>([\s\S]*?)<\/tools>/g)].map((m) => m[1]).filter((b) => b.trim());
  if (blocks.length === 0) return [];
  const { values, errors } = scanJsonValues(blocks.join('\n'));
  problems.push(...errors.map((e) => `system <tools>: ${e}`));
  const defs: FunctionDef[] = [];
  for (const v of values) {
    const def = functionDefFromUnknown(v);
    if (def) defs.push(def);
    else problems.push('system <tools>: an entry has no function name');
  }
  return defs;
}
