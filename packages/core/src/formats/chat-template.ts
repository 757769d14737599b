// Our ChatML tool-calling chat template (Hermes / Qwen layout), rendered with @huggingface/jinja.
//
// What it fixes compared with the public Hermes / Qwen templates it learns from:
// - each tool is written whole with `tojson` (no JSON built by string concatenation: no missing
//   closing brace, no broken quotes in names or descriptions, nested arrays and nullable type arrays
//   come out as they are, and a tool without parameters renders like any other);
// - the call name goes through `tojson` too; `arguments` is written with `tojson` when it is an
//   object and as-is when it is already a JSON string (never double-encoded);
// - assistant text said before the calls is kept; `content: null` renders as empty text;
// - a tool result without `name` finds its tool through `tool_call_id`;
// - each result is its own turn (`tool` role by default, `tool_response_role='user'` for Qwen style).
// The system text comes from prompt.ts, so a Hermes row rendered with plain ChatML is the same text.
import { Template } from '@huggingface/jinja';
import type { Sample, ToolDef } from '../types';
import { fromHermes, toHermes } from './hermes';
import { jsonEqual, toPlainJson, tryParseJson } from './json';
import type { HfRow } from './hf';
import type { OpenAIRow } from './openai';
import { toOpenAI } from './openai';
import { CALL_INSTRUCTIONS, TOOLS_PREAMBLE } from './prompt';
import { parseToolCallBlocks } from './tool-call-blocks';
import type { ParsedCall } from './types';

function jinjaString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

export const CHAT_TEMPLATE = `{#- mcp-forge ChatML tool-calling template. Variables: messages, tools, add_generation_prompt, tool_response_role. -#}
{%- macro text(content) -%}
  {%- if content is string -%}{{- content -}}
  {%- elif content is iterable and content is not mapping -%}
    {%- for part in content -%}{%- if part.text is defined and part.text is string -%}{{- part.text -}}{%- endif -%}{%- endfor -%}
  {%- endif -%}
{%- endmacro -%}
{%- set result_role = tool_response_role if tool_response_role is defined and tool_response_role else 'tool' -%}
{%- set head = namespace(system='', has_system=false, start=0) -%}
{%- if messages and messages[0].role == 'system' -%}
  {%- set head.system = text(messages[0].content) -%}
  {%- set head.has_system = true -%}
  {%- set head.start = 1 -%}
{%- endif -%}
{%- if tools -%}
  {{- '<|im_start|>system\\n' -}}
  {%- if head.system -%}{{- head.system + '\\n\\n' -}}{%- endif -%}
  {{- ${jinjaString(TOOLS_PREAMBLE)} + '<tools>' -}}
  {%- for tool in tools -%}
    {{- '\\n' -}}
    {%- if tool.function is defined -%}{{- tool | tojson -}}
    {%- else -%}{{- {'type': 'function', 'function': tool} | tojson -}}{%- endif -%}
  {%- endfor -%}
  {{- '\\n</tools>\\n\\n' + ${jinjaString(CALL_INSTRUCTIONS)} + '<|im_end|>\\n' -}}
{%- elif head.has_system -%}
  {{- '<|im_start|>system\\n' + head.system + '<|im_end|>\\n' -}}
{%- endif -%}
{%- for message in messages[head.start:] -%}
  {%- if message.role == 'assistant' -%}
    {%- set said = text(message.content) -%}
    {{- '<|im_start|>assistant\\n' + said -}}
    {%- if message.tool_calls is defined and message.tool_calls -%}
      {%- for call in message.tool_calls -%}
        {%- set fn = call.function if call.function is defined else call -%}
        {%- if said or not loop.first -%}{{- '\\n' -}}{%- endif -%}
        {{- '<tool_call>\\n{"name": ' + (fn.name | tojson) + ', "arguments": ' -}}
        {%- if fn.arguments is string -%}{{- fn.arguments -}}
        {%- elif fn.arguments is defined and fn.arguments is not none -%}{{- fn.arguments | tojson -}}
        {%- else -%}{{- '{}' -}}{%- endif -%}
        {{- '}\\n</tool_call>' -}}
      {%- endfor -%}
    {%- endif -%}
    {{- '<|im_end|>\\n' -}}
  {%- elif message.role == 'tool' -%}
    {%- set found = namespace(name=message.name if message.name is defined and message.name else '') -%}
    {%- if not found.name and message.tool_call_id is defined -%}
      {%- for earlier in messages -%}
        {%- if earlier.role == 'assistant' and earlier.tool_calls is defined and earlier.tool_calls -%}
          {%- for call in earlier.tool_calls -%}
            {%- if call.id is defined and call.id == message.tool_call_id -%}
              {%- set found.name = call.function.name if call.function is defined else call.name -%}
            {%- endif -%}
          {%- endfor -%}
        {%- endif -%}
      {%- endfor -%}
    {%- endif -%}
    {{- '<|im_start|>' + result_role + '\\n<tool_response>\\n' -}}
    {{- {'name': found.name, 'content': text(message.content)} | tojson -}}
    {{- '\\n</tool_response><|im_end|>\\n' -}}
  {%- else -%}
    {{- '<|im_start|>' + message.role + '\\n' + text(message.content) + '<|im_end|>\\n' -}}
  {%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}
`;

/** Plain ChatML (no tool logic): how Hermes rows, which carry their markup in text, are rendered. */
export const PLAIN_CHATML_TEMPLATE = `{%- for message in messages -%}
{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' -}}
{%- endfor -%}
{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}
`;

let compiled: Template | undefined;
let compiledPlain: Template | undefined;

export interface RenderOptions {
  addGenerationPrompt?: boolean;
  /** Role of the turn that carries a tool result: `tool` (Hermes, default) or `user` (Qwen). */
  toolResponseRole?: 'tool' | 'user';
}

/**
 * Renders an OpenAI-shape row. String `arguments` that parse are handed to the template as objects,
 * so every call is spelled by `tojson` whatever the row's spelling was.
 */
export function renderChat(row: Pick<OpenAIRow, 'messages' | 'tools'> | Pick<HfRow, 'messages' | 'tools'>, opts: RenderOptions = {}): string {
  compiled ??= new Template(CHAT_TEMPLATE);
  const messages = (toPlainJson(row.messages) as (OpenAIRow['messages'][number] | HfRow['messages'][number])[]).map((m) => {
    if (m.role !== 'assistant' || !m.tool_calls) return m;
    const tool_calls = m.tool_calls.map((c) => {
      const parsed = typeof c.function.arguments === 'string' ? tryParseJson(c.function.arguments) : undefined;
      return parsed?.ok ? { ...c, function: { ...c.function, arguments: parsed.value } } : c;
    });
    return { ...m, tool_calls };
  });
  return compiled.render({
    messages,
    tools: toPlainJson(row.tools ?? []),
    add_generation_prompt: opts.addGenerationPrompt ?? false,
    tool_response_role: opts.toolResponseRole ?? 'tool',
  });
}

/** Renders messages whose content is plain text (a Hermes row) with plain ChatML. */
export function renderPlainChatML(messages: { role: string; content: string }[], addGenerationPrompt = false): string {
  compiledPlain ??= new Template(PLAIN_CHATML_TEMPLATE);
  return compiledPlain.render({ messages, add_generation_prompt: addGenerationPrompt });
}

/** The tool calls of each assistant turn of a rendered conversation, in order. */
export function parseToolCalls(rendered: string): ParsedCall[][] {
  const turns: ParsedCall[][] = [];
  const re = /<\|im_start\|>assistant\n([\s\S]*?)(?:<\|im_end\|>|$)/g;
  for (const m of rendered.matchAll(re)) turns.push(parseToolCallBlocks(m[1]).calls);
  return turns;
}

export interface RoundTripResult {
  ok: boolean;
  problems: string[];
}

/**
 * Checks that a sample survives training-time rendering: the `<tool_call>` blocks of its rendered
 * OpenAI row parse back to exactly its structured calls (names and arguments deep-equal, order
 * kept), and so do the blocks of its Hermes row.
 */
export function roundTrip(sample: Sample, tools: ToolDef[]): RoundTripResult {
  const problems: string[] = [];
  const expected = sample.messages.filter((m) => m.role === 'assistant').map((m) => m.tool_calls ?? []);
  let rendered: string;
  try {
    rendered = renderChat(toOpenAI(sample, tools));
  } catch (err) {
    return { ok: false, problems: [`chat template failed: ${err instanceof Error ? err.message : String(err)}`] };
  }
  compareTurns('chat template', expected, parseToolCalls(rendered), problems);
  const hermes = fromHermes(toHermes(sample, tools));
  compareTurns('hermes', expected, hermes.messages.filter((m) => m.role === 'assistant').map((m) => m.tool_calls ?? []), problems);
  return { ok: problems.length === 0, problems };
}

function compareTurns(where: string, expected: { name: string; arguments: unknown }[][], got: ParsedCall[][], problems: string[]): void {
  if (expected.length !== got.length) {
    problems.push(`${where}: ${got.length} assistant turns parsed back, expected ${expected.length}`);
    return;
  }
  expected.forEach((calls, t) => {
    const back = got[t];
    if (calls.length !== back.length) {
      problems.push(`${where}: assistant turn ${t + 1} has ${back.length} calls after rendering, expected ${calls.length}`);
      return;
    }
    calls.forEach((c, k) => {
      const b = back[k];
      if (b.name !== c.name) problems.push(`${where}: turn ${t + 1} call ${k + 1} name "${b.name}" != "${c.name}"`);
      else if (b.arguments === undefined || !jsonEqual(b.arguments, c.arguments)) {
        problems.push(`${where}: turn ${t + 1} call ${k + 1} (${c.name}) arguments do not parse back equal`);
      }
    });
  });
}
