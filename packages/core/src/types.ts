// Shared data model of the pipeline. Every stage reads and writes these shapes; formats convert them
// to the training formats (hf, hermes, openai, sharegpt) only at the very end.

export type JsonSchema = Record<string, unknown> | boolean;

// BFCL categories: standard = simple, multiple, parallel, parallel_multiple, irrelevance, sequential and
// multi_turn; no_tool (chit-chat), error, ambiguous and edge are this project's own (README maps them).
export const SCENARIOS = [
  'standard', 'no_tool', 'parallel', 'error', 'ambiguous', 'edge', 'multi_turn',
  'multiple', 'parallel_multiple', 'irrelevance', 'sequential',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
  [key: string]: unknown;
}

/** One MCP tool as recorded in tools.lock.json (name already prefixed when several servers merge). */
export interface ToolDef {
  name: string;
  /** Name on the server (without prefix). */
  serverToolName: string;
  /** Index of the server in forge.yaml's `server` list. */
  server: number;
  title?: string;
  description: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations?: ToolAnnotations;
  /** Warnings found while reading the tool (non-standard schema, ...). */
  warnings?: string[];
}

export interface LockServer {
  /** Human label: the command line or URL (never headers or env values). */
  label: string;
  name?: string;
  version?: string;
  protocolVersion?: string;
}

export interface ToolsLock {
  lockfileVersion: 1;
  servers: LockServer[];
  tools: ToolDef[];
}

export interface ToolCall {
  id: string;
  name: string;
  /** Parsed arguments; undefined when `raw` did not parse as JSON. */
  arguments: unknown;
  /** The arguments text as produced (kept when it did not parse, for the reject reason). */
  raw?: string;
}

export type Role = 'system' | 'user' | 'assistant' | 'tool';

export interface Message {
  role: Role;
  content: string | null;
  tool_calls?: ToolCall[];
  /** For role `tool`: the id of the call this answers. */
  tool_call_id?: string;
  /** For role `tool`: the tool name. */
  name?: string;
}

/** Annotations a stage adds to a row; only the final assembly drops rows. */
export interface SampleMeta {
  provider: string;
  model: string;
  seed: number;
  planKey?: string;
  persona?: string;
  style?: string;
  strategy?: string;
  execution?: Record<string, 'live' | 'simulated'>;
  judge?: { score: number; reasons: string[]; by: string };
  dedup?: { cluster?: string; duplicateOf?: string };
  [key: string]: unknown;
}

export interface Sample {
  id: string;
  /** Id of the seed this row comes from (itself for a seed): keeps families together in splits. */
  seedId: string;
  source: 'seed' | 'augmented' | 'real';
  scenario: Scenario;
  /** Primary tool of the sample (null for no_tool). */
  tool_name: string | null;
  /** Names of the tools offered to the model in this conversation. */
  tools: string[];
  messages: Message[];
  meta: SampleMeta;
  /** Why the row was rejected by a stage (empty or absent: accepted). */
  reasons?: string[];
}

export interface Usage {
  requests: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  reasoningTokens: number;
  usd: number;
  cacheHits: number;
}

export function emptyUsage(): Usage {
  return { requests: 0, promptTokens: 0, cachedTokens: 0, completionTokens: 0, reasoningTokens: 0, usd: 0, cacheHits: 0 };
}
