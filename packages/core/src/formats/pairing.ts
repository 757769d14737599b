// Links tool results to the calls they answer when a format does not carry call ids (Hermes,
// ShareGPT) or carries them only partly. Ids are made up deterministically: call_1, call_2, ...
import type { Message, ToolCall } from '../types';
import type { ParsedCall } from './types';

export class CallIds {
  private n = 0;
  next(): string {
    this.n += 1;
    return `call_${this.n}`;
  }
  toToolCalls(calls: ParsedCall[]): ToolCall[] {
    return calls.map((c) => {
      const call: ToolCall = { id: this.next(), name: c.name, arguments: c.arguments };
      if (c.raw !== undefined) call.raw = c.raw;
      return call;
    });
  }
}

/**
 * Fills `tool_call_id` and `name` of tool messages from the latest assistant calls: by id when the
 * row has one, else by name, else in order. Returns problems for results that answer no call.
 */
export function pairToolResults(messages: Message[]): string[] {
  const problems: string[] = [];
  let pending: ToolCall[] = [];
  messages.forEach((m, i) => {
    if (m.role === 'assistant') {
      pending = [...(m.tool_calls ?? [])];
      return;
    }
    if (m.role !== 'tool') return;
    let k = m.tool_call_id ? pending.findIndex((c) => c.id === m.tool_call_id) : -1;
    if (k < 0 && m.name) k = pending.findIndex((c) => c.name === m.name);
    if (k < 0 && !m.tool_call_id && !m.name) k = 0;
    const call = k >= 0 ? pending[k] : undefined;
    if (!call) {
      problems.push(`messages[${i}]: tool result${m.name ? ` of "${m.name}"` : ''} answers no pending call`);
      return;
    }
    pending.splice(k, 1);
    m.tool_call_id = call.id;
    if (!m.name) m.name = call.name;
  });
  return problems;
}
