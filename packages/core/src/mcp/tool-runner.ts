// Live tool execution for the pipeline: one lazily opened connection per server, shared by all
// calls. A server that crashes is restarted once (the next call reconnects); if it dies again,
// calls to it fail with a clear error instead of restarting it forever. The call during which a
// server died is not repeated: it may be the call that kills it, and it may write.
import type { ServerConfig } from '../config/types';
import { ForgeError } from '../errors';
import { validateAgainst } from '../schema/validator';
import type { ToolDef } from '../types';
import { callTool, type ToolResult } from './call-tool';
import { connectServer, serverLabel, type ConnectOptions, type McpConnection } from './connect';

export interface ToolRunnerOptions extends ConnectOptions {
  /** How many times a crashed server is started again (default 1). */
  maxRestarts?: number;
}

interface Slot {
  connecting?: Promise<McpConnection>;
  starts: number;
  lastStderr?: string;
}

export class ToolRunner {
  private readonly slots = new Map<number, Slot>();
  private closed = false;

  constructor(
    private readonly servers: ServerConfig[],
    private readonly options: ToolRunnerOptions = {},
  ) {}

  /** Calls `tool` on its server with `args`; isError and JSON-RPC error answers are results, not throws. */
  async call(tool: ToolDef, args: unknown): Promise<ToolResult> {
    const cfg = this.servers[tool.server];
    if (!cfg) {
      throw new ForgeError(
        'LOCK',
        `Tool "${tool.name}" belongs to server[${tool.server}], but the config lists ${this.servers.length} server(s).`,
        'The lock file is out of date: run inspect again.',
      );
    }
    const conn = await this.connection(tool.server, cfg);
    const result = await callTool(conn, tool.serverToolName, args, cfg.callTimeoutMs);
    const warnings = outputWarnings(tool, result);
    return warnings.length ? { ...result, warnings } : result;
  }

  private async connection(index: number, cfg: ServerConfig): Promise<McpConnection> {
    if (this.closed) throw new ForgeError('MCP_CALL', 'The tool runner is closed.');
    const slot = this.slots.get(index) ?? { starts: 0 };
    this.slots.set(index, slot);
    if (slot.connecting) {
      const conn = await slot.connecting;
      if (!conn.isClosed()) return conn;
      slot.lastStderr = conn.stderrTail();
      slot.connecting = undefined;
      void conn.close();
    }
    const restarts = this.options.maxRestarts ?? 1;
    if (slot.starts > restarts) {
      const tail = slot.lastStderr ? `\nLast lines of its stderr:\n${slot.lastStderr}` : '';
      throw new ForgeError(
        'MCP_CALL',
        `MCP server ${serverLabel(cfg)} stopped ${slot.starts} times; it is not started again.${tail}`,
        'Fix the server, or simulate its tools (execution: simulated).',
      );
    }
    slot.starts += 1;
    slot.connecting = connectServer(cfg, this.options);
    // A failed start must not stay cached as the connection; the next call may try again (counted).
    slot.connecting.catch(() => {
      if (this.slots.get(index) === slot) slot.connecting = undefined;
    });
    return slot.connecting;
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = [...this.slots.values()].map((s) => s.connecting?.then((c) => c.close()).catch(() => undefined));
    this.slots.clear();
    await Promise.all(pending);
  }
}

/** Checks a live result against the tool's outputSchema (SPEC §5); problems become warnings. */
export function outputWarnings(tool: ToolDef, result: ToolResult): string[] {
  if (tool.outputSchema === undefined || result.isError) return [];
  if (result.structuredContent === undefined) return [`tool "${tool.name}" has an outputSchema but returned no structuredContent`];
  const check = validateAgainst(tool.outputSchema, result.structuredContent);
  return check.valid ? [] : [`structuredContent of tool "${tool.name}" does not match its outputSchema: ${check.errors.join('; ')}`];
}
