// Our function-calling system prompt, in the Hermes layout (tools as JSON inside <tools></tools>,
// calls inside <tool_call></tool_call>, results inside <tool_response></tool_response>).
// The Hermes rows and the chat template (chat-template.ts) are both built from these constants so
// that the two spellings of a sample are the same text.
import { pyJson } from './json';
import type { FunctionTool } from './types';

export const TOOLS_PREAMBLE =
  'You can call functions to help with the user\'s request. ' +
  'The functions are described by JSON schemas inside <tools></tools> XML tags:\n';

export const CALL_INSTRUCTIONS =
  'Use a function only when it serves the request: answer directly when none fits, and ask a short ' +
  'clarifying question when a required value is missing or unclear. Never invent argument values or ' +
  'function results.\n' +
  'To call functions, reply with one <tool_call></tool_call> block per call, each holding a JSON object ' +
  'with the function name and its arguments (several blocks in one reply when the calls are independent):\n' +
  '<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>\n' +
  'Each result comes back inside <tool_response></tool_response> XML tags as ' +
  '{"name": <function-name>, "content": <result-text>}. Base your answer on the results; when a call ' +
  'fails, say what went wrong and how to proceed.';

/** `<tools>` block: one tool per line as JSON. */
export function toolsBlock(tools: FunctionTool[]): string {
  return `<tools>${tools.map((t) => `\n${pyJson(t)}`).join('')}\n</tools>`;
}

/**
 * The system message of a sample that offers tools. A system message the sample already has comes
 * first, separated by a blank line (as Qwen's templates do).
 */
export function functionCallingSystemPrompt(tools: FunctionTool[], ownSystem?: string): string {
  const head = ownSystem ? `${ownSystem}\n\n` : '';
  return `${head}${TOOLS_PREAMBLE}${toolsBlock(tools)}\n\n${CALL_INSTRUCTIONS}`;
}

/** Splits one of our system prompts back into the sample's own system text (if any). */
export function ownSystemText(systemPrompt: string): string | undefined {
  const at = systemPrompt.indexOf(TOOLS_PREAMBLE);
  if (at < 0) return undefined;
  const own = systemPrompt.slice(0, at).replace(/\n\n$/, '');
  return own;
}
