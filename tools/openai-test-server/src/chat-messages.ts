// Checks `messages` the way the API does: known roles, required content, and every tool message
// answering a `tool_calls` entry of the assistant turn just before it (and every call answered).
import { invalidRequest, invalidType, missingParameter } from './errors';

export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function';
  content?: unknown;
  name?: string;
  tool_calls?: { id: string; type: string; function?: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

const ROLES = ['system', 'assistant', 'user', 'function', 'tool', 'developer'];

/** The text of a message's content (string, or text parts joined). */
export function messageText(message: ChatMessage): string {
  const c = message.content;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) {
    return c
      .map((p) => (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : ''))
      .filter(Boolean)
      .join('\n');
  }
  return '';
}

function checkMessage(m: unknown, i: number): ChatMessage {
  if (!m || typeof m !== 'object' || Array.isArray(m)) throw invalidType(`messages[${i}]`, 'an object', m);
  const msg = m as Record<string, unknown>;
  if (msg.role === undefined) throw missingParameter(`messages[${i}].role`);
  if (typeof msg.role !== 'string' || !ROLES.includes(msg.role)) {
    throw invalidRequest(
      `Invalid value: '${String(msg.role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
      `messages[${i}].role`,
      'invalid_value',
    );
  }
  const role = msg.role;
  const content = msg.content;
  const hasCalls = Array.isArray(msg.tool_calls) && msg.tool_calls.length > 0;
  const contentOptional = role === 'assistant' && (hasCalls || msg.function_call !== undefined || typeof msg.refusal === 'string');
  if ((content === undefined || content === null) && !contentOptional) throw missingParameter(`messages[${i}].content`);
  if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content)) {
    throw invalidType(`messages[${i}].content`, 'one of a string or array of objects', content);
  }
  if (role === 'assistant' && msg.tool_calls !== undefined) {
    if (!Array.isArray(msg.tool_calls)) throw invalidType(`messages[${i}].tool_calls`, 'an array', msg.tool_calls);
    msg.tool_calls.forEach((c, j) => checkEchoedCall(c, `messages[${i}].tool_calls[${j}]`));
  }
  if (role === 'tool' && typeof msg.tool_call_id !== 'string') {
    throw invalidRequest("Missing parameter 'tool_call_id': messages with role 'tool' must have a 'tool_call_id'.", `messages.[${i}].tool_call_id`);
  }
  return msg as unknown as ChatMessage;
}

function checkEchoedCall(call: unknown, path: string): void {
  if (!call || typeof call !== 'object') throw invalidType(path, 'an object', call);
  const c = call as Record<string, unknown>;
  if (typeof c.id !== 'string') throw missingParameter(`${path}.id`);
  if (c.type !== 'function' && c.type !== 'custom') throw missingParameter(`${path}.type`);
  if (c.type === 'function') {
    const fn = c.function as Record<string, unknown> | undefined;
    if (!fn || typeof fn.name !== 'string') throw missingParameter(`${path}.function.name`);
    // A common client bug: sending the parsed object back instead of the JSON string.
    if (typeof fn.arguments !== 'string') throw invalidType(`${path}.function.arguments`, 'a string', fn.arguments);
  }
}

function unanswered(index: number, ids: string[]) {
  return invalidRequest(
    `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${ids.join(', ')}`,
    `messages.[${index}].role`,
  );
}

export function checkMessages(raw: unknown): ChatMessage[] {
  if (raw === undefined) throw missingParameter('messages');
  if (!Array.isArray(raw)) throw invalidType('messages', 'an array', raw);
  if (raw.length === 0) {
    throw invalidRequest("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages', 'empty_array');
  }
  const messages = raw.map(checkMessage);
  let pending: { index: number; open: Set<string>; ids: Set<string> } | null = null;
  messages.forEach((m, i) => {
    if (m.role === 'tool') {
      if (!pending) {
        throw invalidRequest("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", `messages.[${i}].role`);
      }
      if (!pending.ids.has(m.tool_call_id!)) {
        throw invalidRequest(`Invalid parameter: 'tool_call_id' of '${m.tool_call_id}' not found in 'tool_calls' of previous message.`, `messages.[${i}].tool_call_id`);
      }
      pending.open.delete(m.tool_call_id!);
      return;
    }
    if (pending && pending.open.size) throw unanswered(pending.index, [...pending.open]);
    pending = null;
    if (m.role === 'assistant' && m.tool_calls?.length) {
      const ids = new Set(m.tool_calls.map((c) => c.id));
      pending = { index: i, open: new Set(ids), ids };
    }
  });
  const last = pending as { index: number; open: Set<string> } | null;
  if (last && last.open.size) throw unanswered(last.index, [...last.open]);
  return messages;
}
