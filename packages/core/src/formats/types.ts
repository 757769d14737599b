// Shapes shared by the training formats. The pipeline's neutral form is `Sample` (../types); these are
// the wire shapes of the formats and the result of parsing an external row back.
import type { Message, Sample } from '../types';

export type FormatName = 'hermes' | 'openai' | 'sharegpt' | 'hf';
export const FORMAT_NAMES: readonly FormatName[] = ['hermes', 'openai', 'sharegpt', 'hf'];

/** An OpenAI function definition (the `function` member of a tool). */
export interface FunctionDef {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** A tool in the OpenAI Chat Completions shape. */
export interface FunctionTool {
  type: 'function';
  function: FunctionDef;
}

/**
 * A row of any format read back into the neutral form (what `mcp-forge qc` checks).
 * Messages follow the `Message` conventions: assistant `tool_calls` with parsed `arguments`
 * (undefined plus `raw` when a call did not parse), tool messages with `tool_call_id` and `name`.
 */
export interface ParsedSample {
  id?: string;
  source?: Sample['source'];
  scenario?: string;
  tool_name?: string | null;
  messages: Message[];
  /** Tool definitions the row carries (system prompt `<tools>` block or `tools` field); may be empty. */
  tools: FunctionDef[];
  /** What could not be read cleanly, with the message index: the row is still returned. */
  problems: string[];
}

/** A tool call as written in a `<tool_call>` block. */
export interface ParsedCall {
  name: string;
  /** Parsed arguments; undefined when the block did not parse. */
  arguments: unknown;
  /** The block text, kept when it did not parse (for the reject reason). */
  raw?: string;
}
