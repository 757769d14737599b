// Prompt texts live in prompts/*.md beside this file (read once); this module only assembles them.
// Layout is static-first for OpenAI's prompt cache: the system message holds the fixed instructions and
// then the tool definitions (the same for every sample of a tool), the user message holds what varies
// per sample (persona, style, values, the conversation so far) last.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Message, ToolDef } from '../../types';

const PROMPT_DIR = join(__dirname, 'prompts');
const texts = new Map<string, string>();

/** The text of prompts/<name>.md (trailing whitespace trimmed). */
export function prompt(name: string): string {
  let text = texts.get(name);
  if (text === undefined) {
    text = readFileSync(join(PROMPT_DIR, `${name}.md`), 'utf8').trimEnd();
    texts.set(name, text);
  }
  return text;
}

/** One `## heading` section of prompts/<name>.md. */
export function promptSection(name: string, heading: string): string {
  const sections = prompt(name).split(/^## /m).slice(1);
  const hit = sections.find((s) => s.slice(0, s.indexOf('\n')).trim() === heading);
  if (!hit) throw new Error(`prompts/${name}.md has no section '## ${heading}'`);
  return hit.slice(hit.indexOf('\n') + 1).trim();
}

/** Tool definitions as the static part of a system message (the original schemas, as the model's docs). */
export function describeTools(tools: ToolDef[]): string {
  const blocks = tools.map((t) => {
    const lines = [`## ${t.name}`, t.description?.trim() || '(no description)', `Input schema: ${JSON.stringify(t.inputSchema)}`];
    if (t.outputSchema !== undefined) lines.push(`Output schema: ${JSON.stringify(t.outputSchema)}`);
    return lines.join('\n');
  });
  return `# Tools\n\n${blocks.join('\n\n')}`;
}

export function systemPrompt(instructions: string, tools: ToolDef[] = []): string {
  return tools.length ? `${instructions}\n\n${describeTools(tools)}` : instructions;
}

/** A conversation as plain text, for prompts that look at it from outside (replies, judge). */
export function transcript(messages: Message[]): string {
  return messages
    .map((m) => {
      if (m.role === 'assistant' && m.tool_calls?.length) {
        const calls = m.tool_calls.map((c) => `${c.name}(${c.arguments === undefined ? (c.raw ?? '') : JSON.stringify(c.arguments)})`).join('; ');
        return `Assistant calls: ${calls}${m.content ? `\nAssistant: ${m.content}` : ''}`;
      }
      if (m.role === 'tool') return `Tool result${m.name ? ` (${m.name})` : ''}: ${m.content ?? ''}`;
      if (m.role === 'system') return `System: ${m.content ?? ''}`;
      return `${m.role === 'user' ? 'User' : 'Assistant'}: ${m.content ?? ''}`;
    })
    .join('\n');
}

/** `- key: value` lines of the per-sample part (undefined / empty values left out). */
export function fields(entries: [string, string | undefined][]): string {
  return entries
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => (v!.includes('\n') || v!.startsWith('- ') ? `${k}:\n${v}` : `${k}: ${v}`))
    .join('\n');
}
