// `stream: true`: the finished completion re-expressed as chat.completion.chunk events, ending with
// an optional usage chunk (stream_options.include_usage) and [DONE].
import type { ChatCompletion } from './chat-completion';

const PIECE = 24;

function pieces(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += PIECE) out.push(text.slice(i, i + PIECE));
  return out;
}

export function completionEvents(c: ChatCompletion, includeUsage: boolean): string[] {
  const events: string[] = [];
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    events.push(JSON.stringify({
      id: c.id, object: 'chat.completion.chunk', created: c.created, model: c.model,
      service_tier: c.service_tier, system_fingerprint: c.system_fingerprint, choices,
      ...(includeUsage ? { usage: null } : {}), ...extra,
    }));
  for (const choice of c.choices) {
    const base = { index: choice.index, logprobs: null, finish_reason: null };
    const m = choice.message;
    chunk([{ ...base, delta: { role: 'assistant', content: m.tool_calls ? null : '', refusal: null } }]);
    if (m.content) for (const p of pieces(m.content)) chunk([{ ...base, delta: { content: p } }]);
    (m.tool_calls ?? []).forEach((call, k) => {
      chunk([{ ...base, delta: { tool_calls: [{ index: k, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] } }]);
      for (const p of pieces(call.function.arguments)) chunk([{ ...base, delta: { tool_calls: [{ index: k, function: { arguments: p } }] } }]);
    });
    chunk([{ ...base, delta: {}, finish_reason: choice.finish_reason }]);
  }
  if (includeUsage) chunk([], { usage: c.usage });
  events.push('[DONE]');
  return events;
}
