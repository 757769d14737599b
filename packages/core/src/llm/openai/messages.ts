// Our Message -> Chat Completions message params. Assistant calls carry their arguments as JSON
// strings (the API rejects objects); tool results answer their call by tool_call_id.
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Message } from '../../types';
import { argumentsText, functionSpec, type FunctionSpec } from './tool-functions';
import type { ToolDef } from '../../types';

export function toChatMessages(messages: Message[], tools: ToolDef[]): ChatCompletionMessageParam[] {
  const byName = new Map<string, FunctionSpec>(tools.map((t) => [t.name, functionSpec(t)]));
  return messages.map((m): ChatCompletionMessageParam => {
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content ?? '' };
      case 'user':
        return { role: 'user', content: m.content ?? '' };
      case 'tool':
        return { role: 'tool', tool_call_id: m.tool_call_id ?? '', content: m.content ?? '' };
      case 'assistant':
      default:
        if (m.tool_calls?.length) {
          return {
            role: 'assistant',
            content: m.content ?? null,
            tool_calls: m.tool_calls.map((c) => {
              const spec = byName.get(c.name);
              return { id: c.id, type: 'function' as const, function: { name: spec?.fnName ?? c.name, arguments: argumentsText(c, spec) } };
            }),
          };
        }
        return { role: 'assistant', content: m.content ?? '' };
    }
  });
}
