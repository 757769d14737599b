// tools.lock.json: the reviewed snapshot of every tool schema a dataset is built from.
// Naming rule when a server has a `prefix`: name = `${prefix}_${serverToolName}` (underscore, so
// the result stays a valid OpenAI function name); `serverToolName` and `server` (the index in
// forge.yaml's server list) keep what is needed to call the tool on its server.
import type { ServerConfig } from '../config/types';
import { ForgeError } from '../errors';
import type { LockServer, ToolDef, ToolsLock } from '../types';
import { connectServer } from './connect';
import { listTools, type RawTool } from './list-tools';

export interface InspectOptions {
  /** Glob-ish patterns (`*` = any run of characters, `?` = one); matched against the final and the server's name. */
  include?: string[];
  exclude?: string[];
  clientName?: string;
}

const VALID_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export function prefixedName(prefix: string | undefined, serverToolName: string): string {
  return prefix ? `${prefix}_${serverToolName}` : serverToolName;
}

/** A copy of a tool with the lock's fixed key order (serializeLock relies on it for stable text). */
function ordered(t: ToolDef): ToolDef {
  const out: Record<string, unknown> = { name: t.name, serverToolName: t.serverToolName, server: t.server };
  if (t.title !== undefined) out.title = t.title;
  out.description = t.description ?? '';
  out.inputSchema = t.inputSchema;
  if (t.outputSchema !== undefined) out.outputSchema = t.outputSchema;
  if (t.annotations !== undefined) out.annotations = t.annotations;
  if (t.warnings?.length) out.warnings = t.warnings;
  return out as unknown as ToolDef;
}

function toToolDef(raw: RawTool, server: number, prefix: string | undefined): ToolDef {
  return ordered({
    name: prefixedName(prefix, raw.name),
    serverToolName: raw.name,
    server,
    title: raw.title,
    description: raw.description ?? '',
    inputSchema: raw.inputSchema,
    outputSchema: raw.outputSchema,
    annotations: raw.annotations,
    warnings: raw.warnings,
  });
}

/** Connects to every server (one after the other), lists and merges their tools into a lock. */
export async function inspectServers(servers: ServerConfig[], opts: InspectOptions = {}): Promise<{ lock: ToolsLock; warnings: string[] }> {
  const lockServers: LockServer[] = [];
  const tools: ToolDef[] = [];
  const warnings: string[] = [];
  for (const [index, cfg] of servers.entries()) {
    const conn = await connectServer(cfg, { clientName: opts.clientName ?? 'mcp-forge-inspect' });
    try {
      const listed = await listTools(conn, { timeoutMs: Math.max(cfg.startupTimeoutMs, cfg.callTimeoutMs) });
      warnings.push(...listed.warnings.map((w) => (servers.length > 1 ? `server[${index}] ${w}` : w)));
      const entry: LockServer = { label: conn.label };
      if (conn.serverInfo) Object.assign(entry, { name: conn.serverInfo.name, version: conn.serverInfo.version });
      if (conn.protocolVersion) entry.protocolVersion = conn.protocolVersion;
      lockServers.push(entry);
      tools.push(...listed.tools.map((t) => toToolDef(t, index, cfg.prefix)));
    } finally {
      await conn.close();
    }
  }
  const selected = selectTools(tools, opts, warnings);
  assertUniqueNames(selected, lockServers);
  for (const t of selected) {
    if (!VALID_NAME.test(t.name)) warnings.push(`tool "${t.name}": name does not match ^[a-zA-Z0-9_-]{1,64}$ (OpenAI function names); rename it with a shorter prefix`);
  }
  selected.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.server - b.server));
  return { lock: { lockfileVersion: 1, servers: lockServers, tools: selected }, warnings };
}

function selectTools(tools: ToolDef[], opts: InspectOptions, warnings: string[]): ToolDef[] {
  const matches = (pattern: string, t: ToolDef) => {
    const re = globToRegExp(pattern);
    return re.test(t.name) || re.test(t.serverToolName);
  };
  for (const p of opts.include ?? []) if (!tools.some((t) => matches(p, t))) warnings.push(`tools.include pattern "${p}" matches no tool`);
  for (const p of opts.exclude ?? []) if (!tools.some((t) => matches(p, t))) warnings.push(`tools.exclude pattern "${p}" matches no tool`);
  return tools.filter(
    (t) => (!opts.include || opts.include.some((p) => matches(p, t))) && !(opts.exclude ?? []).some((p) => matches(p, t)),
  );
}

function assertUniqueNames(tools: ToolDef[], servers: LockServer[]): void {
  const first = new Map<string, ToolDef>();
  for (const t of tools) {
    const other = first.get(t.name);
    if (!other) {
      first.set(t.name, t);
      continue;
    }
    const where = (d: ToolDef) => `server[${d.server}] (${servers[d.server]?.label ?? '?'})`;
    if (other.server === t.server) {
      throw new ForgeError('LOCK', `MCP server ${where(t)} lists the tool "${t.name}" twice.`, 'Exclude it (tools.exclude) or fix the server.');
    }
    throw new ForgeError(
      'LOCK',
      `Duplicate tool name "${t.name}": both ${where(other)} and ${where(t)} provide it.`,
      `Give the servers a prefix (server[].prefix, e.g. prefix: s${t.server} makes it "s${t.server}_${t.serverToolName}"), or exclude one of them with tools.exclude.`,
    );
  }
}

/** Deterministic lock text: fixed key order, 2-space JSON, trailing newline. */
export function serializeLock(lock: ToolsLock): string {
  const servers = lock.servers.map((s) => {
    const out: LockServer = { label: s.label };
    if (s.name !== undefined) out.name = s.name;
    if (s.version !== undefined) out.version = s.version;
    if (s.protocolVersion !== undefined) out.protocolVersion = s.protocolVersion;
    return out;
  });
  return `${JSON.stringify({ lockfileVersion: lock.lockfileVersion, servers, tools: lock.tools.map(ordered) }, null, 2)}\n`;
}

// Reading, validating and diffing lock files: lock-file.ts (re-exported here for one import site).
export { diffLocks, formatLockDiff, readLock, parseLock, type LockDiff } from './lock-file';
