// Values a model copies from tool results into its next call: after the user's last message, the
// JSON results of earlier calls answer properties of the same name, and an `<x>_id` / `<x>Id`
// property takes a result's `id` (the id of what the previous call created or found).
import type { ChatMessage } from './chat-messages';
import type { FunctionTool } from './chat-tools';
import { messageText } from './chat-messages';

type Json = Record<string, unknown>;

function objects(v: unknown, out: Json[] = [], depth = 0): Json[] {
  if (depth > 4) return out;
  if (Array.isArray(v)) v.forEach((x) => objects(x, out, depth + 1));
  else if (v && typeof v === 'object') {
    out.push(v as Json);
    Object.values(v as Json).forEach((x) => objects(x, out, depth + 1));
  }
  return out;
}

/** A JSON text with the values the results give for the planned tools' properties ('' when none). */
export function resultHintText(messages: ChatMessage[], tools: FunctionTool[]): string {
  const lastUser = messages.map((m) => m.role).lastIndexOf('user');
  const found: Json[] = [];
  for (const m of messages.slice(lastUser + 1)) {
    if (m.role !== 'tool') continue;
    try {
      found.push(...objects(JSON.parse(messageText(m))));
    } catch {
      // Plain-text results give no keyed values.
    }
  }
  if (!found.length) return '';
  const hints: Json = {};
  for (const tool of tools) {
    const props = ((tool.parameters as { properties?: Json }).properties ?? {}) as Json;
    for (const name of Object.keys(props)) {
      const same = found.find((o) => typeof o[name] === 'string' || typeof o[name] === 'number');
      if (same) hints[name] = same[name];
      else if (/(_id|Id)$/.test(name)) {
        const withId = found.find((o) => typeof o.id === 'string' || typeof o.id === 'number');
        if (withId) hints[name] = withId.id;
      }
    }
  }
  return Object.keys(hints).length ? JSON.stringify(hints) : '';
}
