// Rule checks of one sample (SPEC §6): calls, arguments against the ORIGINAL tool schemas, conversation
// structure and the scenario's promise. Returns reasons as `code: detail`; an empty list means the row
// passes. Pure and fast: validators are compiled once per schema and reused across rows.
import { compileValidator, type ValidationResult } from '../schema/validator';
import type { JsonSchema, Message, Sample, ToolCall, ToolDef } from '../types';
import { checkSemantics, SEMANTIC_CODES } from './semantic';

export const REASON_CODES = [
  'unparseable_arguments',
  'unknown_tool',
  'tool_not_offered',
  'invalid_arguments',
  'missing_required',
  'structure',
  'empty_content',
  'scenario',
  ...SEMANTIC_CODES,
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** The code of a reason (`invalid_arguments: get_forecast /days ...` → `invalid_arguments`). */
export function reasonCode(reason: string): string {
  const colon = reason.indexOf(':');
  return colon < 0 ? reason : reason.slice(0, colon);
}

/**
 * Whether a tool message reports a failure. Convention used across the pipeline: the content is a
 * JSON object with `"isError": true` (how MCP `CallToolResult.isError` results and JSON-RPC errors
 * are recorded), or plain text starting with `Error:` (case-insensitive) or `MCP error`.
 */
export function isErrorResult(content: string | null | undefined): boolean {
  if (typeof content !== 'string') return false;
  const text = content.trimStart();
  if (/^error:/i.test(text) || text.startsWith('MCP error')) return true;
  if (!text.startsWith('{') || !text.includes('isError')) return false;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && (value as Record<string, unknown>).isError === true;
  } catch {
    return false;
  }
}

// Keyed by the schema object: tool maps are built once per run, so this skips re-hashing the schema
// text for every call of every row.
const validators = new WeakMap<object, (data: unknown) => ValidationResult>();

function validatorFor(schema: JsonSchema): (data: unknown) => ValidationResult {
  if (typeof schema !== 'object' || schema === null) return compileValidator(schema);
  let v = validators.get(schema);
  if (!v) {
    try {
      v = compileValidator(schema);
    } catch (err) {
      const failure = { valid: false, errors: [`schema cannot be compiled: ${(err as Error).message}`] };
      v = () => failure;
    }
    validators.set(schema, v);
  }
  return v;
}

const MISSING = /^(.*) is missing required property '(.*)'$/;

function snippet(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * Reasons for one tool call: parse, name, offered, arguments. `offered` undefined means the row does
 * not record which tools it offered (external datasets without a tools list): that check is skipped.
 */
export function checkCall(call: ToolCall, tools: Map<string, ToolDef>, offered?: ReadonlySet<string>): string[] {
  const reasons: string[] = [];
  if (call.arguments === undefined) {
    reasons.push(`unparseable_arguments: ${call.name} ${snippet(call.raw ?? '(no arguments text)')}`);
  }
  const tool = tools.get(call.name);
  if (!tool) {
    reasons.push(`unknown_tool: ${call.name || '(no name)'}`);
    return reasons;
  }
  if (offered && !offered.has(call.name)) reasons.push(`tool_not_offered: ${call.name}`);
  if (call.arguments === undefined) return reasons;
  const result = validatorFor(tool.inputSchema)(call.arguments);
  for (const error of result.errors) {
    const missing = MISSING.exec(error);
    if (missing) {
      const path = missing[1] === '(root)' ? '' : missing[1].replace(/\//g, '.');
      reasons.push(`missing_required: ${call.name}${path}.${missing[2]}`);
    } else {
      reasons.push(`invalid_arguments: ${call.name} ${error}`);
    }
  }
  return reasons;
}

function allCalls(messages: Message[]): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const m of messages) if (m.role === 'assistant' && m.tool_calls) calls.push(...m.tool_calls);
  return calls;
}

/** What the sample's scenario promises (SPEC §4). */
export function checkScenario(sample: Sample): string[] {
  const messages = sample.messages;
  const calls = allCalls(messages);
  const reasons: string[] = [];
  switch (sample.scenario) {
    case 'no_tool':
      if (calls.length > 0) reasons.push(`scenario: no_tool sample calls ${[...new Set(calls.map((c) => c.name))].join(', ')}`);
      break;
    case 'parallel':
      if (!messages.some((m) => m.role === 'assistant' && (m.tool_calls?.length ?? 0) >= 2)) {
        reasons.push('scenario: parallel sample has no assistant turn with 2 or more calls');
      }
      break;
    case 'error': {
      const failing = messages.findIndex((m) => m.role === 'tool' && isErrorResult(m.content));
      if (failing < 0) reasons.push('scenario: error sample has no failing tool result (JSON with "isError": true, or text starting "Error:")');
      else if (!messages.slice(failing + 1).some(isAssistantText)) reasons.push('scenario: error sample has no assistant reply after the failing tool result');
      break;
    }
    case 'ambiguous': {
      const firstCall = messages.findIndex((m) => m.role === 'assistant' && (m.tool_calls?.length ?? 0) > 0);
      const before = firstCall < 0 ? messages : messages.slice(0, firstCall);
      if (!before.some((m) => isAssistantText(m) && (m.content as string).trim().endsWith('?'))) {
        reasons.push('scenario: ambiguous sample has no clarifying question (assistant text ending in "?") before any call');
      }
      break;
    }
    case 'parallel_multiple':
      if (!messages.some((m) => m.role === 'assistant' && new Set((m.tool_calls ?? []).map((c) => c.name)).size >= 2)) {
        reasons.push('scenario: parallel_multiple sample has no assistant turn calling 2 or more different tools');
      }
      break;
    case 'irrelevance': {
      // A call is reported as irrelevance_called (semantic checks); here: the needed tool must not be offered.
      const planned = Array.isArray(sample.meta?.targets) ? (sample.meta.targets as string[]) : [];
      const offeredNeeded = planned.filter((t) => sample.tools?.includes(t));
      if (offeredNeeded.length) reasons.push(`scenario: irrelevance sample offers the tool it needs (${offeredNeeded.join(', ')})`);
      if (calls.length === 0 && !messages.some(isAssistantText)) reasons.push('scenario: irrelevance sample has no assistant reply');
      break;
    }
    case 'sequential': {
      const link = sequentialLink(messages);
      if (link === 'too_few_turns') reasons.push('scenario: sequential sample has fewer than 2 assistant call turns');
      else if (link === 'unlinked') reasons.push(UNLINKED_SEQUENCE);
      break;
    }
    case 'multiple':
      if ((sample.tools?.length ?? 2) < 2) reasons.push('scenario: multiple sample offers fewer than 2 tools');
      if (calls.length === 0) reasons.push('scenario: multiple sample has no tool call');
      break;
    case 'standard':
    case 'edge':
      // The final assistant answer is a structure rule for every scenario.
      if (calls.length === 0) reasons.push(`scenario: ${sample.scenario} sample has no tool call`);
      break;
    case 'multi_turn':
      if (messages.filter((m) => m.role === 'user').length < 2) reasons.push('scenario: multi_turn sample has fewer than 2 user turns');
      break;
    default:
      reasons.push(`scenario: unknown scenario '${String(sample.scenario)}'`);
  }
  return reasons;
}

export const UNLINKED_SEQUENCE = "scenario: sequential sample's second call uses no value from the earlier result";

/**
 * Whether a sequential conversation's second call turn takes a value from an earlier tool result that
 * the user did not give (what makes the calls sequential rather than two independent ones).
 */
export function sequentialLink(messages: Message[]): 'linked' | 'unlinked' | 'too_few_turns' {
  const turns = messages.map((m, i) => ({ m, i })).filter(({ m }) => m.role === 'assistant' && (m.tool_calls?.length ?? 0) > 0);
  if (turns.length < 2) return 'too_few_turns';
  const earlier = messages.slice(0, turns[1].i).filter((m) => m.role === 'tool').map((m) => (m.content ?? '').toLowerCase()).join('\n');
  const asked = messages.slice(0, turns[1].i).filter((m) => m.role === 'user').map((m) => (m.content ?? '').toLowerCase()).join('\n');
  const values = turns[1].m.tool_calls!.flatMap((c) => scalarStrings(c.arguments));
  return values.some((v) => v.length >= 2 && earlier.includes(v.toLowerCase()) && !asked.includes(v.toLowerCase())) ? 'linked' : 'unlinked';
}

function scalarStrings(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => scalarStrings(x, out));
  else if (v && typeof v === 'object') Object.values(v as Record<string, unknown>).forEach((x) => scalarStrings(x, out));
  else if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
  return out;
}

function isAssistantText(m: Message): boolean {
  return m.role === 'assistant' && !(m.tool_calls?.length) && typeof m.content === 'string' && m.content.trim() !== '';
}

function describe(m: Message | undefined): string {
  if (!m) return 'nothing';
  if (m.role === 'assistant') return m.tool_calls?.length ? 'an assistant tool call' : 'an assistant answer';
  return m.role === 'tool' ? 'a tool result' : `a ${m.role} turn`;
}

/**
 * Conversation shape: system prompt(s) first, then a user turn; no two user turns or two assistant
 * answers in a row; every call answered by exactly one tool message (matching tool_call_id) before
 * the conversation moves on; no orphan tool messages; unique call ids; ends with an assistant answer.
 */
export function checkStructure(messages: Message[]): string[] {
  if (messages.length === 0) return ['structure: no messages'];
  const reasons: string[] = [];
  let first = 0;
  while (first < messages.length && messages[first].role === 'system') first++;
  if (first === messages.length) return ['structure: only system messages'];
  if (messages[first].role !== 'user') reasons.push(`structure: conversation starts with ${describe(messages[first])}, expected a user turn`);

  const callIds = new Set<string>();
  const answered = new Set<string>();
  let open = new Map<string, ToolCall>(); // calls of the latest assistant call turn
  const closeOpen = (at: number) => {
    for (const [id, call] of open) if (!answered.has(id)) reasons.push(`structure: call ${id} (${call.name}) has no tool result before message #${at}`);
    open = new Map();
  };
  for (let k = 0; k < messages.length; k++) {
    const m = messages[k];
    const prev = messages[k - 1];
    const text = typeof m.content === 'string' ? m.content.trim() : '';
    if (m.role === 'system') {
      if (k > first) reasons.push(`structure: system message at #${k} after the conversation started`);
      if (!text) reasons.push('empty_content: system prompt');
    } else if (m.role === 'user') {
      closeOpen(k);
      if (prev?.role === 'user') reasons.push(`structure: two user turns in a row at #${k}`);
      if (prev?.role === 'tool') reasons.push(`structure: tool result at #${k - 1} is followed by a user turn, expected the assistant`);
      if (!text) reasons.push(`empty_content: user turn #${k}`);
    } else if (m.role === 'assistant') {
      closeOpen(k);
      if (m.tool_calls?.length) {
        for (const call of m.tool_calls) {
          if (!call.id) reasons.push(`structure: call to ${call.name} at #${k} has no id`);
          else if (callIds.has(call.id)) reasons.push(`structure: duplicate call id ${call.id} at #${k}`);
          else open.set(call.id, call);
          if (call.id) callIds.add(call.id);
        }
      } else {
        if (!text) reasons.push(`empty_content: assistant turn #${k}`);
        if (prev?.role === 'assistant' && !prev.tool_calls?.length) reasons.push(`structure: two assistant answers in a row at #${k}`);
      }
    } else if (m.role === 'tool') {
      const id = m.tool_call_id;
      if (!id) reasons.push(`structure: tool message at #${k} has no tool_call_id`);
      else if (answered.has(id)) reasons.push(`structure: call ${id} answered more than once (#${k})`);
      else if (!open.has(id)) reasons.push(`structure: orphan tool message at #${k} (tool_call_id ${id} matches no open call)`);
      else {
        answered.add(id);
        const call = open.get(id)!;
        if (m.name && m.name !== call.name) reasons.push(`structure: tool message at #${k} names ${m.name} but call ${id} is ${call.name}`);
      }
      if (!text) reasons.push(`empty_content: tool result #${k}`);
    } else {
      reasons.push(`structure: unknown role '${String((m as Message).role)}' at #${k}`);
    }
  }
  closeOpen(messages.length);
  if (!finalAssistantText(messages)) reasons.push(`structure: conversation ends with ${describe(messages[messages.length - 1])}, expected an assistant answer`);
  return reasons;
}

/** The last message is an assistant answer (text, no calls). */
export function finalAssistantText(messages: Message[]): boolean {
  const last = messages[messages.length - 1];
  return !!last && isAssistantText(last);
}

/** Every rule check of one sample; an empty list means it passes. Reasons are unique and ordered. */
export function checkSample(sample: Sample, tools: Map<string, ToolDef>): string[] {
  const offered = sample.tools?.length ? new Set(sample.tools) : undefined;
  const reasons: string[] = [];
  for (const call of allCalls(sample.messages ?? [])) reasons.push(...checkCall(call, tools, offered));
  reasons.push(...checkStructure(sample.messages ?? []));
  reasons.push(...checkScenario({ ...sample, messages: sample.messages ?? [] }));
  reasons.push(...checkSemantics({ ...sample, messages: sample.messages ?? [] }, tools));
  return [...new Set(reasons)];
}
