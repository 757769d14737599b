// Which tools the simulated assistant calls: the named one, or the ones the user's last message asks
// for (by name, or by the meaningful words of the name: "weather" for get_weather). A message that
// asks for several things in separate sentences gets one call per request, each with its own values.
import type { ChatRequest } from './chat-request';
import type { FunctionTool } from './chat-tools';
import { clauses } from './json-scan';
import { messageText } from './chat-messages';
import type { Rng } from './rng';

export const GENERIC_VERBS = new Set([
  'get', 'list', 'fetch', 'set', 'create', 'update', 'delete', 'find', 'search', 'do', 'run', 'make', 'add', 'remove',
  'read', 'write', 'query', 'call', 'check', 'show', 'lookup', 'look', 'up', 'by', 'for', 'the', 'of', 'to', 'and', 'tool',
]);
const MAX_PARALLEL_CALLS = 5;

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^a-zA-Z0-9]+/)
    .map((w) => w.toLowerCase())
    .filter(Boolean);
}

function mentionsWord(lowerText: string, word: string): boolean {
  return new RegExp(`(^|[^a-z0-9])${word}(e?s)?($|[^a-z0-9])`).test(lowerText);
}

/** Whether the text asks for this tool: its full name, or every meaningful word of its name. */
export function textMentionsTool(text: string, toolName: string): boolean {
  const lower = text.toLowerCase();
  if (lower.includes(toolName.toLowerCase())) return true;
  const all = nameWords(toolName);
  const meaningful = all.filter((w) => !GENERIC_VERBS.has(w) && w.length >= 3);
  const words = meaningful.length ? meaningful : all;
  return words.length > 0 && words.every((w) => mentionsWord(lower, w));
}

const ASKS_FOR_A_TOOL = /\b(use|call|invoke|run)\b[^.?!]*\btools?\b/i;

/** One call to make: the tool, and the part of the message its values come from (all of it when undefined). */
export interface PlannedCall {
  tool: FunctionTool;
  scope?: string;
  /** A call made again (a repair): the arguments it had, as JSON, which its values come from first. */
  previous?: string;
}

/**
 * Words of the tool's multi-word parameter names as they appear in prose ("employee id", "employee_id"),
 * removed from a sentence before asking whether it names the tool: "The details are employee id E0020"
 * gives a value for the request before it, it does not ask for another employee.
 */
function withoutParameterNames(text: string, tool: FunctionTool): string {
  const props = Object.keys(((tool.parameters as { properties?: object }) ?? {}).properties ?? {});
  let out = text;
  for (const key of props) {
    const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[^a-zA-Z0-9]+/).filter(Boolean);
    if (words.length < 2) continue;
    out = out.replace(new RegExp(`\\b${words.join('[\\s_-]*')}s?\\b`, 'gi'), ' ');
  }
  return out;
}

/**
 * A repair turn: the previous assistant turn's calls all got an answer, and the answers ask for the
 * calls again (a validation error that says "call ... again", or "repeat this call"). A model then
 * makes the same calls again, with its own earlier values corrected: one per earlier call, in order.
 */
function callsAgain(req: ChatRequest, offered: FunctionTool[]): PlannedCall[] {
  const msgs = req.messages;
  let i = msgs.length - 1;
  const answers: string[] = [];
  while (i >= 0 && msgs[i].role === 'tool') answers.push(messageText(msgs[i--]));
  const turn = msgs[i];
  if (!answers.length || turn?.role !== 'assistant' || !turn.tool_calls?.length) return [];
  if (!answers.some((a) => /\b(call\b[^.]*\bagain|repeat this call)\b/i.test(a))) return [];
  const byName = new Map(offered.map((t) => [t.name, t]));
  const out: PlannedCall[] = [];
  for (const c of turn.tool_calls) {
    const tool = byName.get(c.function?.name ?? '');
    if (tool) out.push({ tool, previous: c.function?.arguments });
  }
  return out;
}

/**
 * One call per sentence that asks for a tool (sentences that name no tool belong to the one before),
 * so "weather in Paris? Also the weather in Rome." makes two calls. Empty when fewer than two.
 */
function callsPerRequest(text: string, offered: FunctionTool[]): PlannedCall[] {
  const out: PlannedCall[] = [];
  for (const clause of clauses(text)) {
    const named = offered.filter((t) => textMentionsTool(withoutParameterNames(clause, t), t.name));
    if (named.length) for (const tool of named) out.push({ tool, scope: clause });
    else if (out.length) {
      const prev = out[out.length - 1];
      out[out.length - 1] = { ...prev, scope: `${prev.scope} ${clause}` };
    }
  }
  return out.length >= 2 ? out : [];
}

/** Calls to make for this request, in the order they are asked for (empty: answer with text). */
export function planToolCalls(req: ChatRequest, lastUserText: string, rng: Rng): PlannedCall[] {
  const choice = req.toolChoice;
  if (choice.mode === 'none' || req.tools.length === 0) return [];
  const again = callsAgain(req, req.tools);
  if (choice.mode === 'named') {
    const named = req.tools.filter((t) => t.name === choice.name);
    return named.map((tool) => ({ tool, previous: again.find((c) => c.tool.name === tool.name)?.previous }));
  }
  const offered = choice.allowed ? req.tools.filter((t) => choice.allowed!.includes(t.name)) : req.tools;
  if (offered.length === 0) return [];
  const repeat = again.filter((c) => offered.includes(c.tool));
  if (repeat.length) return repeat.slice(0, req.parallelToolCalls ? MAX_PARALLEL_CALLS : 1);
  const last = req.messages[req.messages.length - 1];
  const answeringUser = last.role === 'user';
  if (answeringUser && req.parallelToolCalls) {
    const perRequest = callsPerRequest(lastUserText, offered);
    if (perRequest.length) return perRequest.slice(0, MAX_PARALLEL_CALLS);
  }
  let wanted = answeringUser ? offered.filter((t) => textMentionsTool(lastUserText, t.name)) : [];
  if (wanted.length === 0 && answeringUser && ASKS_FOR_A_TOOL.test(lastUserText)) wanted = [offered[0]];
  if (wanted.length === 0 && choice.mode === 'required') wanted = [rng.pick(offered)];
  return wanted.slice(0, req.parallelToolCalls ? MAX_PARALLEL_CALLS : 1).map((tool) => ({ tool }));
}

/** Tools to call for this request, in the order they are listed (empty: answer with text). */
export function selectToolCalls(req: ChatRequest, lastUserText: string, rng: Rng): FunctionTool[] {
  return planToolCalls(req, lastUserText, rng).map((c) => c.tool);
}
