// tools/call, turned into what a training sample needs: the text of the tool message. A failing
// tool is data (the `error` scenario feeds on it), so isError results AND JSON-RPC errors come
// back as results; only transport failures (timeout, dead server) throw.
import { ErrorCode, McpError, ResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { ForgeError } from '../errors';
import { redactSecrets } from './child-env';
import { ProtocolFault, type McpConnection } from './connect';

export interface ToolResult {
  /** Text blocks joined with "\n"; structuredContent as JSON when there is no text; other blocks summarised. */
  text: string;
  isError: boolean;
  structuredContent?: unknown;
  /** The result (or `{error}` for a JSON-RPC error) exactly as the server sent it. */
  raw: unknown;
  /** Problems found in a result that was still usable (e.g. structuredContent not matching outputSchema). */
  warnings?: string[];
}

type Block = Record<string, unknown> & { type?: unknown };

/** Decoded size of base64 data without decoding it. */
function base64Bytes(data: unknown): number {
  if (typeof data !== 'string') return 0;
  const clean = data.replace(/\s/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

function summarise(block: Block): string {
  switch (block.type) {
    case 'image':
    case 'audio':
      return `[${block.type} ${String(block.mimeType ?? 'unknown type')}, ${base64Bytes(block.data)} bytes]`;
    case 'resource': {
      const r = (block.resource ?? {}) as Record<string, unknown>;
      const head = `[resource ${String(r.uri ?? '')}${r.mimeType ? `, ${String(r.mimeType)}` : ''}`;
      // Embedded text is content the model should see; binary blobs are only described.
      if (typeof r.text === 'string') return `${head}]\n${r.text}`;
      return `${head}, ${base64Bytes(r.blob)} bytes]`;
    }
    case 'resource_link':
      return `[resource link ${String(block.uri ?? '')}${block.name ? ` (${String(block.name)})` : ''}]`;
    default:
      return `[${String(block.type ?? 'unknown')} block]`;
  }
}

/** Builds a ToolResult from a tools/call result object (any protocol version). */
export function toToolResult(result: Record<string, unknown>): ToolResult {
  const content = Array.isArray(result.content) ? (result.content as Block[]) : [];
  const parts = content.map((b) => (b?.type === 'text' && typeof b.text === 'string' ? b.text : summarise(b ?? {})));
  const hasText = content.some((b) => b?.type === 'text');
  let text = parts.join('\n');
  if (!hasText && result.structuredContent !== undefined) {
    const json = JSON.stringify(result.structuredContent);
    text = text ? `${json}\n${text}` : json;
  }
  // Protocol 2024-10-07 servers answered with `toolResult` instead of `content`.
  if (!content.length && result.structuredContent === undefined && result.toolResult !== undefined) {
    text = typeof result.toolResult === 'string' ? result.toolResult : JSON.stringify(result.toolResult);
  }
  const out: ToolResult = { text, isError: result.isError === true, raw: result };
  if (result.structuredContent !== undefined) out.structuredContent = result.structuredContent;
  return out;
}

/** Calls a tool. Throws ForgeError('MCP_CALL') only when the call could not complete. */
export async function callTool(conn: McpConnection, name: string, args: unknown, timeoutMs: number): Promise<ToolResult> {
  const params = { name, arguments: (args ?? {}) as Record<string, unknown> };
  try {
    // Not client.callTool: it throws on a structuredContent/outputSchema mismatch, which the tool
    // runner reports as a warning instead, and it rejects results of older protocol versions.
    const watch = conn.watchFaults?.();
    let result: unknown;
    try {
      const request = conn.client.request({ method: 'tools/call', params }, ResultSchema, { timeout: timeoutMs });
      result = await (watch ? Promise.race([request, watch.fault]) : request);
    } finally {
      watch?.stop();
    }
    // A server that echoes its environment or headers must not put a secret into the dataset.
    return toToolResult(redactSecrets(result as Record<string, unknown>, conn.secrets ?? []));
  } catch (err) {
    const answered = jsonRpcErrorResult(conn, err);
    if (answered) return redactSecrets(answered, conn.secrets ?? []);
    throw callError(conn, name, timeoutMs, err);
  }
}

/**
 * A JSON-RPC error answer (e.g. -32603 "Unknown tool" or -32602 "Invalid input" from SDK 1.0-era
 * servers) is the server's verdict on this call: a failed tool result, not a broken connection.
 */
function jsonRpcErrorResult(conn: McpConnection, err: unknown): ToolResult | undefined {
  if (!(err instanceof McpError) || conn.isClosed()) return undefined;
  if (err.code === ErrorCode.RequestTimeout || err.code === ErrorCode.ConnectionClosed) return undefined;
  const error = { code: err.code, message: err.message.replace(/^MCP error -?\d+: /, ''), ...(err.data !== undefined ? { data: err.data } : {}) };
  return { text: err.message, isError: true, raw: { error } };
}

function callError(conn: McpConnection, name: string, timeoutMs: number, err: unknown): ForgeError {
  if (err instanceof ProtocolFault) {
    if (err.kind === 'too-large') {
      return new ForgeError(
        'MCP_CALL',
        `MCP server ${conn.label} answered tool "${name}" with ${err.detail}; the connection was closed.`,
        `Make the tool return less (a smaller page or a limit argument), or simulate it (tools.overrides.${name}.execution: simulated); then run the build again.`,
        { cause: err },
      );
    }
    return new ForgeError(
      'MCP_CALL',
      `MCP server ${conn.label} broke the protocol while calling tool "${name}": it sent ${err.detail}.`,
      `This is a bug in the server (report it to its maintainers); until it is fixed, simulate the tool (tools.overrides.${name}.execution: simulated).`,
      { cause: err },
    );
  }
  if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
    return new ForgeError(
      'MCP_CALL',
      `Tool "${name}" on MCP server ${conn.label} did not answer within ${timeoutMs} ms (timed out).`,
      'Raise server.callTimeoutMs if the tool is just slow, or simulate it (tools.overrides.<name>.execution: simulated); then run the build again.',
      { cause: err },
    );
  }
  const tail = conn.stderrTail();
  const stderr = tail ? `\nLast lines of its stderr:\n${tail}` : '';
  const dead = conn.isClosed() || (err instanceof McpError && err.code === ErrorCode.ConnectionClosed) || (err as Error)?.message === 'Not connected';
  if (dead) {
    return new ForgeError(
      'MCP_CALL',
      `MCP server ${conn.label} is not running: the connection closed while calling tool "${name}".${stderr}`,
      'The server crashed or exited; run its command by hand to see why, then run the build again (completed model requests are cached).',
      { cause: err },
    );
  }
  return new ForgeError('MCP_CALL', `Calling tool "${name}" on MCP server ${conn.label} failed: ${(err as Error)?.message ?? String(err)}${stderr}`, undefined, { cause: err });
}
