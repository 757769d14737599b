// `<tool_call>` and `<tool_response>` blocks: writing them, and reading them back from any
// Hermes-style text (ours, Nous Hermes datasets, Qwen renders).
import { isPlainObject, pyJson, tryParseJson, type JsonParse } from './json';
import type { ParsedCall } from './types';

const OPEN = '<tool_call>';
const CLOSE = '</tool_call>';

/** One call block. `arguments` undefined (did not parse) falls back to the raw text. */
export function formatToolCallBlock(name: string, args: unknown, raw?: string): string {
  if (args === undefined && raw !== undefined) return `${OPEN}\n{"name": ${JSON.stringify(name)}, "arguments": ${raw}}\n${CLOSE}`;
  return `${OPEN}\n${pyJson({ name, arguments: args ?? {} })}\n${CLOSE}`;
}

export interface ParsedBlocks {
  /** The text outside the blocks, trimmed. */
  text: string;
  calls: ParsedCall[];
  problems: string[];
}

/**
 * Finds every `<tool_call>` block. An argument value may itself contain "</tool_call>", so a block
 * ends at the first closing tag after which the inside parses as JSON (else at the first one).
 */
export function parseToolCallBlocks(content: string): ParsedBlocks {
  const calls: ParsedCall[] = [];
  const problems: string[] = [];
  const outside: string[] = [];
  let pos = 0;
  for (;;) {
    const open = content.indexOf(OPEN, pos);
    if (open < 0) break;
    outside.push(content.slice(pos, open));
    const bodyStart = open + OPEN.length;
    const closes = allIndexes(content, CLOSE, bodyStart);
    if (closes.length === 0) {
      problems.push(`<tool_call> block ${calls.length + 1} has no closing </tool_call>`);
      calls.push(unparsed(content.slice(bodyStart).trim()));
      pos = content.length;
      break;
    }
    let chosen = closes[0];
    let value: JsonParse | undefined;
    for (const c of closes) {
      const attempt = tryParseJson(content.slice(bodyStart, c));
      if (attempt.ok) {
        chosen = c;
        value = attempt; // the trimmed body parses to the same value: no second parse
        break;
      }
    }
    const body = content.slice(bodyStart, chosen).trim();
    const call = readCall(body, calls.length + 1, problems, value);
    calls.push(call);
    pos = chosen + CLOSE.length;
  }
  outside.push(content.slice(pos));
  return { text: outside.join('').trim(), calls, problems };
}

function readCall(body: string, n: number, problems: string[], known?: JsonParse): ParsedCall {
  const parsed = known ?? tryParseJson(body);
  if (!parsed.ok) {
    problems.push(`<tool_call> block ${n} is not valid JSON (${parsed.error})`);
    return unparsed(body);
  }
  const v = parsed.value;
  if (!isPlainObject(v) || typeof v.name !== 'string') {
    problems.push(`<tool_call> block ${n} has no "name" string`);
    return { name: '', arguments: undefined, raw: body };
  }
  // Llama-style rows say "parameters"; a call to a tool without parameters may omit both.
  let args = v.arguments !== undefined ? v.arguments : (v.parameters ?? {});
  if (typeof args === 'string') {
    // Double-encoded arguments: what a template that applies tojson to string arguments produces.
    const inner = tryParseJson(args);
    if (inner.ok && isPlainObject(inner.value)) {
      problems.push(`<tool_call> block ${n} has its arguments encoded as a JSON string`);
      args = inner.value;
    }
  }
  return { name: v.name, arguments: args };
}

function unparsed(body: string): ParsedCall {
  const name = /"name"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(body)?.[1] ?? '';
  return { name, arguments: undefined, raw: body };
}

function allIndexes(text: string, needle: string, from: number): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(needle, from); i >= 0; i = text.indexOf(needle, i + 1)) out.push(i);
  return out;
}

const RESPONSE_RE = /<tool_response>\n?([\s\S]*?)\n?<\/tool_response>/g;

/** The bodies of every `<tool_response>` block in a text (empty when there is none). */
export function toolResponseBodies(content: string): string[] {
  return [...content.matchAll(RESPONSE_RE)].map((m) => m[1]);
}

/** True when the text is nothing but `<tool_response>` blocks (a Qwen-style user turn of results). */
export function isOnlyToolResponses(content: string): boolean {
  return content.includes('<tool_response>') && content.replace(RESPONSE_RE, '').trim() === '';
}

/** Our tool result body: `{"name": ..., "content": <the result text as a JSON string>}`. */
export function formatToolResponse(name: string, content: string): string {
  return `<tool_response>\n${pyJson({ name, content })}\n</tool_response>`;
}

/** Reads a result body: ours, or Nous-style with `content` as an object, or free text. */
export function readToolResponseBody(body: string): { name?: string; content: string } {
  const parsed = tryParseJson(body);
  if (parsed.ok && isPlainObject(parsed.value) && 'content' in parsed.value) {
    const { name, content } = parsed.value;
    return {
      name: typeof name === 'string' ? name : undefined,
      content: typeof content === 'string' ? content : JSON.stringify(content),
    };
  }
  return { content: body };
}
