// tools/list with pagination, robust to servers whose listing the SDK client rejects.
// Real example: @modelcontextprotocol/server-gitlab@2025.4.25 lists input schemas that are only
// {"$schema": ...}; the SDK's ListToolsResultSchema then fails the WHOLE listing, so an SDK-only
// inspector sees zero tools. We fall back to a raw JSON-RPC request, keep every tool as the server
// gave it, and warn once per tool that is not standard.
import { ErrorCode, McpError, ResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { ForgeError } from '../errors';
import type { JsonSchema, ToolAnnotations } from '../types';
import { redactSecrets } from './child-env';
import { ProtocolFault, type McpConnection } from './connect';

export interface RawTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations?: ToolAnnotations;
  /** What is non-standard about this tool (also listed, prefixed by the tool name, in `warnings`). */
  warnings?: string[];
}

export interface ListToolsOptions {
  /** Per page request; default 60 s. */
  timeoutMs?: number;
}

const MAX_PAGES = 1000;
const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `type` values that are not JSON Schema types (e.g. "dict"), anywhere in a schema. */
function nonStandardTypes(schema: unknown, path = '', found: string[] = []): string[] {
  if (Array.isArray(schema)) schema.forEach((s, i) => nonStandardTypes(s, `${path}/${i}`, found));
  else if (isRecord(schema)) {
    for (const [key, value] of Object.entries(schema)) {
      // Under these keys the children are names -> schemas, or data, not keywords.
      if (key === 'type' && (typeof value === 'string' || Array.isArray(value))) {
        for (const t of [value].flat()) if (typeof t === 'string' && !JSON_TYPES.has(t)) found.push(`${path || '/'} has type "${t}"`);
      } else if (key !== 'enum' && key !== 'const' && key !== 'default' && key !== 'examples') {
        nonStandardTypes(value, `${path}/${key}`, found);
      }
    }
  }
  return found;
}

/** Turns one listed tool into a RawTool, noting what is wrong; undefined when it has no usable name. */
export function normalizeTool(raw: unknown, index: number, warnings: string[]): RawTool | undefined {
  if (!isRecord(raw) || typeof raw.name !== 'string' || raw.name === '') {
    warnings.push(`tool #${index + 1} in tools/list has no name and was skipped: ${JSON.stringify(raw).slice(0, 200)}`);
    return undefined;
  }
  const own: string[] = [];
  let inputSchema: JsonSchema;
  if (raw.inputSchema === undefined) {
    own.push('lists no inputSchema; treated as taking no parameters');
    inputSchema = { type: 'object', properties: {} };
  } else if (!isRecord(raw.inputSchema) && typeof raw.inputSchema !== 'boolean') {
    own.push(`inputSchema is not an object (${JSON.stringify(raw.inputSchema)}); treated as taking no parameters`);
    inputSchema = { type: 'object', properties: {} };
  } else {
    inputSchema = raw.inputSchema;
    if (isRecord(inputSchema) && inputSchema.type !== 'object') {
      own.push(
        inputSchema.type === undefined
          ? `inputSchema has no "type": "object" (${JSON.stringify(inputSchema).slice(0, 120)}); kept as given, it accepts any arguments`
          : `inputSchema root type is ${JSON.stringify(inputSchema.type)}, not "object"; kept as given`,
      );
    }
    // The root's type was reported just above; list the nested ones.
    const nested = nonStandardTypes(inputSchema).filter((t) => !t.startsWith('/ has'));
    for (const t of nested) own.push(`inputSchema ${t} (not a JSON Schema type)`);
  }
  const tool: RawTool = { name: raw.name, inputSchema };
  if (typeof raw.title === 'string') tool.title = raw.title;
  if (typeof raw.description === 'string') tool.description = raw.description;
  else if (raw.description !== undefined) own.push('description is not a string; ignored');
  if (isRecord(raw.outputSchema) || typeof raw.outputSchema === 'boolean') tool.outputSchema = raw.outputSchema;
  else if (raw.outputSchema !== undefined) own.push('outputSchema is not an object; ignored');
  if (isRecord(raw.annotations)) tool.annotations = raw.annotations as ToolAnnotations;
  if (own.length) {
    tool.warnings = own;
    for (const w of own) warnings.push(`tool "${raw.name}": ${w}`);
  }
  return tool;
}

const isValidationError = (err: unknown) =>
  !(err instanceof McpError) && err instanceof Error && (err.name === 'ZodError' || Array.isArray((err as { issues?: unknown }).issues));

type Page = { tools: unknown[]; nextCursor?: string };

async function listAll(fetchPage: (cursor?: string) => Promise<Page>, label: string): Promise<unknown[]> {
  const tools: unknown[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await fetchPage(cursor);
    tools.push(...result.tools);
    if (!result.nextCursor) return tools;
    if (seen.has(result.nextCursor)) {
      throw new ForgeError('MCP_PROTOCOL', `MCP server ${label} repeated the tools/list cursor "${result.nextCursor}" (pagination loop).`, 'This is a server bug; report it to its maintainers.');
    }
    seen.add(result.nextCursor);
    cursor = result.nextCursor;
  }
  throw new ForgeError('MCP_PROTOCOL', `MCP server ${label} returned more than ${MAX_PAGES} pages of tools.`, 'This is probably a server bug (a cursor that never ends).');
}

function listError(conn: McpConnection, err: unknown, timeoutMs: number): ForgeError {
  if (err instanceof ForgeError) return err;
  if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
    return new ForgeError(
      'MCP_PROTOCOL',
      `MCP server ${conn.label} did not answer tools/list within ${timeoutMs} ms (timed out).${conn.stderrTail() ? `\nLast lines of its stderr:\n${conn.stderrTail()}` : ''}`,
      'Raise server.callTimeoutMs if it is only slow; otherwise the server is stuck: run its command by hand to see why.',
      { cause: err },
    );
  }
  if (conn.isClosed() || (err instanceof McpError && err.code === ErrorCode.ConnectionClosed)) {
    const tail = conn.stderrTail();
    return new ForgeError('MCP_PROTOCOL', `MCP server ${conn.label} exited before answering tools/list (right after initialize).${tail ? `\nLast lines of its stderr:\n${tail}` : ' It wrote nothing to stderr.'}`, 'Run the command by hand to see why it stops.', { cause: err });
  }
  if (err instanceof ProtocolFault) {
    return new ForgeError('MCP_PROTOCOL', `MCP server ${conn.label} broke the protocol answering tools/list: it sent ${err.detail}.`, 'This is a bug in the server; report it to its maintainers.', { cause: err });
  }
  if (err instanceof McpError && err.code === -32601) {
    return new ForgeError('MCP_PROTOCOL', `MCP server ${conn.label} does not offer tools (tools/list: ${err.message}).`, 'Point forge.yaml at a server that exposes tools.', { cause: err });
  }
  const tail = conn.stderrTail();
  return new ForgeError('MCP_PROTOCOL', `tools/list failed on MCP server ${conn.label}: ${(err as Error).message}${tail ? `\nLast lines of its stderr:\n${tail}` : ''}`, undefined, { cause: err });
}

/** Lists every tool of a connected server, following nextCursor. */
export async function listTools(conn: McpConnection, opts: ListToolsOptions = {}): Promise<{ tools: RawTool[]; warnings: string[] }> {
  const options = { timeout: opts.timeoutMs ?? 60_000 };
  const warnings: string[] = [];
  const watch = conn.watchFaults?.();
  const guarded = <T>(p: Promise<T>): Promise<T> => (watch ? Promise.race([p, watch.fault]) : p);
  try {
    return await listWatched(conn, options, warnings, guarded);
  } finally {
    watch?.stop();
  }
}

async function listWatched(conn: McpConnection, options: { timeout: number }, warnings: string[], guarded: <T>(p: Promise<T>) => Promise<T>): Promise<{ tools: RawTool[]; warnings: string[] }> {
  let listed: unknown[];
  try {
    listed = await listAll(async (cursor) => {
      const r = await guarded(conn.client.listTools(cursor ? { cursor } : undefined, options));
      return { tools: r.tools, nextCursor: r.nextCursor };
    }, conn.label);
  } catch (err) {
    if (!isValidationError(err)) throw listError(conn, err, options.timeout);
    warnings.push(`MCP server ${conn.label}: the MCP SDK rejected its tools/list (${firstIssue(err)}); listed again without validation`);
    try {
      listed = await listAll(async (cursor) => {
        const r = (await guarded(conn.client.request({ method: 'tools/list', params: cursor ? { cursor } : {} }, ResultSchema, options))) as Record<string, unknown>;
        if (!Array.isArray(r.tools)) throw new ForgeError('MCP_PROTOCOL', `MCP server ${conn.label} answered tools/list without a "tools" array.`);
        return { tools: r.tools, nextCursor: typeof r.nextCursor === 'string' ? r.nextCursor : undefined };
      }, conn.label);
    } catch (rawErr) {
      throw listError(conn, rawErr, options.timeout);
    }
  }
  listed = redactSecrets(listed, conn.secrets ?? []);
  const tools = listed.map((t, i) => normalizeTool(t, i, warnings)).filter((t): t is RawTool => t !== undefined);
  return { tools, warnings };
}

function firstIssue(err: unknown): string {
  const issue = (err as { issues?: { path?: unknown[]; message?: string }[] }).issues?.[0];
  return issue ? `${(issue.path ?? []).join('.')}: ${issue.message}` : (err as Error).message.slice(0, 200);
}
