// Which tools the simulated assistant calls: the named one, or the ones the user's last message asks
// for (by name, or by the meaningful words of the name: "weather" for get_weather).
import type { ChatRequest } from './chat-request';
import type { FunctionTool } from './chat-tools';
import type { Rng } from './rng';

const GENERIC_VERBS = new Set([
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

/** Tools to call for this request, in the order they are listed (empty: answer with text). */
export function selectToolCalls(req: ChatRequest, lastUserText: string, rng: Rng): FunctionTool[] {
  const choice = req.toolChoice;
  if (choice.mode === 'none' || req.tools.length === 0) return [];
  if (choice.mode === 'named') return req.tools.filter((t) => t.name === choice.name);
  const offered = choice.allowed ? req.tools.filter((t) => choice.allowed!.includes(t.name)) : req.tools;
  if (offered.length === 0) return [];
  const last = req.messages[req.messages.length - 1];
  const answeringUser = last.role === 'user';
  let wanted = answeringUser ? offered.filter((t) => textMentionsTool(lastUserText, t.name)) : [];
  if (wanted.length === 0 && answeringUser && ASKS_FOR_A_TOOL.test(lastUserText)) wanted = [offered[0]];
  if (wanted.length === 0 && choice.mode === 'required') wanted = [rng.pick(offered)];
  if (!req.parallelToolCalls) return wanted.slice(0, 1);
  return wanted.slice(0, MAX_PARALLEL_CALLS);
}
