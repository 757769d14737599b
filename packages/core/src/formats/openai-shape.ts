// Test helper: what the OpenAI fine-tuning API (chat format with tools) accepts for one JSONL row,
// written from its documented rules, independently of openai.ts so that a bug there shows up here.
// Rules: roles system/user/assistant/tool; an assistant turn with `tool_calls` is followed by one
// `tool` message per call, each `tool_call_id` answering one call of that turn exactly once; call ids
// unique; `type: "function"`; `function.name` one of the row's tools; `function.arguments` a JSON
// string of an object; the row ends on an assistant turn; `tools` entries are
// `{type: "function", function: {name, description, parameters}}`.
import { isPlainObject, tryParseJson } from './json';

const ROW_KEYS = new Set(['messages', 'tools', 'parallel_tool_calls']);
const MESSAGE_KEYS: Record<string, Set<string>> = {
  system: new Set(['role', 'content', 'name']),
  user: new Set(['role', 'content', 'name']),
  assistant: new Set(['role', 'content', 'tool_calls', 'name', 'weight']),
  tool: new Set(['role', 'content', 'tool_call_id']),
};
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

function toolNames(tools: unknown, problems: string[]): Set<string> {
  const names = new Set<string>();
  if (!Array.isArray(tools) || tools.length === 0) {
    problems.push('tools: not a non-empty array');
    return names;
  }
  tools.forEach((t, i) => {
    const fn = isPlainObject(t) ? t.function : undefined;
    if (!isPlainObject(t) || t.type !== 'function' || !isPlainObject(fn)) return problems.push(`tools[${i}]: not {type: "function", function: {...}}`);
    if (typeof fn.name !== 'string' || !FUNCTION_NAME.test(fn.name)) problems.push(`tools[${i}]: function.name ${JSON.stringify(fn.name)} is not a valid function name`);
    if (typeof fn.description !== 'string') problems.push(`tools[${i}]: function.description is not a string`);
    if (!isPlainObject(fn.parameters) || fn.parameters.type !== 'object') problems.push(`tools[${i}]: function.parameters is not an object schema`);
    if (names.has(fn.name as string)) problems.push(`tools[${i}]: duplicate function ${fn.name}`);
    names.add(fn.name as string);
  });
  return names;
}

export function openAIRowProblems(row: unknown): string[] {
  const problems: string[] = [];
  if (!isPlainObject(row)) return ['row is not an object'];
  for (const k of Object.keys(row)) if (!ROW_KEYS.has(k)) problems.push(`unexpected row key "${k}"`);
  if (row.parallel_tool_calls !== undefined && typeof row.parallel_tool_calls !== 'boolean') problems.push('parallel_tool_calls is not a boolean');
  const names = row.tools === undefined ? new Set<string>() : toolNames(row.tools, problems);
  const messages = row.messages;
  if (!Array.isArray(messages) || messages.length === 0) return [...problems, 'messages: not a non-empty array'];
  const ids = new Set<string>();
  let pending: string[] = [];
  messages.forEach((m, i) => {
    const at = `messages[${i}]`;
    if (!isPlainObject(m) || typeof m.role !== 'string' || !MESSAGE_KEYS[m.role]) return problems.push(`${at}: role ${JSON.stringify(isPlainObject(m) ? m.role : m)} is not system, user, assistant or tool`);
    for (const k of Object.keys(m)) if (!MESSAGE_KEYS[m.role].has(k)) problems.push(`${at}: unexpected key "${k}" on a ${m.role} message`);
    if (m.role !== 'tool' && pending.length) problems.push(`${at}: calls ${pending.join(', ')} are not answered before this ${m.role} message`);
    if (m.role === 'tool') {
      const k = pending.indexOf(m.tool_call_id as string);
      if (typeof m.tool_call_id !== 'string' || k < 0) problems.push(`${at}: tool_call_id ${JSON.stringify(m.tool_call_id)} answers no call of the assistant turn before it`);
      else pending.splice(k, 1);
      if (typeof m.content !== 'string') problems.push(`${at}: tool content is not a string`);
      return;
    }
    if (m.role !== 'assistant') {
      if (typeof m.content !== 'string' || m.content === '') problems.push(`${at}: ${m.role} content is not a non-empty string`);
      return;
    }
    const calls = m.tool_calls;
    if (calls === undefined) {
      if (typeof m.content !== 'string' || m.content === '') problems.push(`${at}: assistant turn has neither text nor tool_calls`);
      return;
    }
    if (m.content !== null && typeof m.content !== 'string') problems.push(`${at}: assistant content is neither a string nor null`);
    if (!Array.isArray(calls) || calls.length === 0) return problems.push(`${at}: tool_calls is not a non-empty array`);
    calls.forEach((c, k) => {
      const cat = `${at}.tool_calls[${k}]`;
      if (!isPlainObject(c)) return problems.push(`${cat}: not an object`);
      if (typeof c.id !== 'string' || c.id === '') problems.push(`${cat}: no id`);
      else if (ids.has(c.id)) problems.push(`${cat}: id ${c.id} used twice in the row`);
      else {
        ids.add(c.id);
        pending.push(c.id);
      }
      if (c.type !== 'function') problems.push(`${cat}: type is ${JSON.stringify(c.type)}, not "function"`);
      const fn = isPlainObject(c.function) ? c.function : {};
      if (typeof fn.name !== 'string' || !names.has(fn.name)) problems.push(`${cat}: function ${JSON.stringify(fn.name)} is not one of the row's tools`);
      if (typeof fn.arguments !== 'string') problems.push(`${cat}: function.arguments is not a JSON string`);
      else {
        const parsed = tryParseJson(fn.arguments);
        if (!parsed.ok || !isPlainObject(parsed.value)) problems.push(`${cat}: function.arguments is not a JSON object text`);
      }
    });
  });
  if (pending.length) problems.push(`calls ${pending.join(', ')} are not answered`);
  const last = messages[messages.length - 1];
  if (!isPlainObject(last) || last.role !== 'assistant') problems.push(`the last message is ${isPlainObject(last) ? last.role : 'missing'}, not an assistant message`);
  pending = [];
  return problems;
}
