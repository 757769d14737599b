// Connecting to an MCP server (stdio child process or Streamable HTTP) with the MCP SDK client.
// Startup failures are the most common support question, so each one gets its own message:
// command not found, server exited (with the end of its stderr), no answer within the timeout.
import { existsSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { isStdio, type HttpServerConfig, type ServerConfig, type StdioServerConfig } from '../config/types';
import { ForgeError } from '../errors';
import { childEnv, redactSecrets, secretValues } from './child-env';
import { formatCommandLine } from './command-line';
import { TailBuffer } from './tail-buffer';

export interface McpConnection {
  client: Client;
  /** The command line or URL (never env values or headers): safe for logs and the lock file. */
  label: string;
  serverInfo?: { name: string; version: string };
  protocolVersion?: string;
  /** Values that must not come back from the server into outputs or messages (see child-env.ts). */
  secrets: readonly string[];
  /** The last ~4 KB the server wrote to stderr (stdio only; '' for HTTP), secrets masked. */
  stderrTail(): string;
  /**
   * Rejects when the server breaks the protocol while a request is pending (a message that is not
   * JSON-RPC, an answer for an id never sent, a message past the SDK's read buffer): the request it
   * spoils would otherwise only end in a timeout. `stop()` when the request settled.
   */
  watchFaults(): { fault: Promise<never>; stop(): void };
  /** True once the transport closed: the server exited or the connection was lost. */
  isClosed(): boolean;
  close(): Promise<void>;
}

export interface ConnectOptions {
  clientName?: string;
  clientVersion?: string;
}

const STDERR_TAIL_CHARS = 4096;

/** A protocol violation by the server, seen by the transport or the SDK's protocol layer. */
export class ProtocolFault extends Error {
  constructor(
    readonly kind: 'too-large' | 'invalid-message' | 'unknown-id',
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ProtocolFault';
  }
}

/** The fault an SDK error stands for; undefined for errors that are not the server's protocol violations (e.g. EPIPE). */
export function protocolFault(err: unknown): ProtocolFault | undefined {
  const e = err as { name?: string; message?: string; issues?: unknown };
  const message = typeof e?.message === 'string' ? e.message : '';
  const size = /ReadBuffer exceeded maximum size of (\d+) bytes/.exec(message);
  if (size) return new ProtocolFault('too-large', `a message larger than ${size[1]} bytes, the most the MCP client reads at once`);
  const unknown = /Received a response for an unknown message ID: ([\s\S]*)/.exec(message);
  if (unknown) return new ProtocolFault('unknown-id', `an answer for a request id it was never sent (a JSON-RPC id mismatch): ${unknown[1].slice(0, 160)}`);
  if (e?.name === 'SyntaxError') return new ProtocolFault('invalid-message', `a line on stdout that is not JSON (${message.slice(0, 120)})`);
  if (e?.name === 'ZodError' || Array.isArray(e?.issues)) return new ProtocolFault('invalid-message', 'a message that is not valid JSON-RPC 2.0 (e.g. a "result" that is not an object)');
  return undefined;
}

/** Human label of a server: the command line, or the URL without credentials or secret-looking query values. */
export function serverLabel(cfg: ServerConfig): string {
  if (isStdio(cfg)) return formatCommandLine(cfg.command, cfg.args);
  try {
    const url = new URL(cfg.url);
    url.username = '';
    url.password = '';
    for (const key of [...url.searchParams.keys()]) {
      if (/key|token|secret|pass|auth|sig|cred/i.test(key)) url.searchParams.set(key, '***');
    }
    return url.toString();
  } catch {
    return cfg.url;
  }
}

/** What the server was given that must not come back: secret-looking env values, headers, ${VAR} values. */
export function serverSecrets(cfg: ServerConfig): string[] {
  const apiKey = process.env.OPENAI_API_KEY;
  const fields = isStdio(cfg) ? { env: cfg.env, expanded: cfg.expandedSecrets } : { headers: cfg.headers, expanded: cfg.expandedSecrets };
  return secretValues({ ...fields, expanded: [...(fields.expanded ?? []), ...(apiKey ? [apiKey] : [])] });
}

interface Started {
  transport: Transport;
  stderr: TailBuffer;
  /** Kills the server at once (used when startup failed: no grace period for a hung server). */
  kill(): void;
  /** Resolves when stderr has been fully read (or soon, if it never ends). */
  stderrDone(): Promise<void>;
}

function stdioTransport(cfg: StdioServerConfig): Started {
  if (cfg.cwd && !existsSync(cfg.cwd)) {
    throw new ForgeError('MCP_START', `Cannot start MCP server ${serverLabel(cfg)}: its working directory ${cfg.cwd} does not exist.`, 'Fix server.cwd in forge.yaml.');
  }
  const transport = new StdioClientTransport({ command: cfg.command, args: cfg.args, env: childEnv(cfg.env), cwd: cfg.cwd, stderr: 'pipe' });
  const stderr = new TailBuffer(STDERR_TAIL_CHARS);
  let ended = false;
  const stream = transport.stderr;
  stream?.on('data', (chunk: Buffer) => stderr.push(chunk));
  stream?.on('end', () => (ended = true));
  let pid: number | null = null;
  const originalStart = transport.start.bind(transport);
  // The pid is only readable while the transport holds the process; remember it for kill().
  transport.start = async () => {
    const p = originalStart();
    pid = transport.pid;
    return p;
  };
  return {
    transport,
    stderr,
    kill: () => {
      if (pid === null) return;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
    stderrDone: () =>
      new Promise<void>((resolve) => {
        if (ended || !stream) return resolve();
        const timer = setTimeout(resolve, 500);
        stream.once('end', () => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

function httpTransport(cfg: HttpServerConfig): Started {
  let url: URL;
  try {
    url = new URL(cfg.url);
  } catch {
    throw new ForgeError('MCP_START', `Invalid MCP server URL: ${cfg.url}`, 'Give a full URL such as http://127.0.0.1:3000/mcp.');
  }
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: cfg.headers } });
  return { transport, stderr: new TailBuffer(0), kill: () => undefined, stderrDone: async () => undefined };
}

const withStderr = (tail: string) => (tail ? `\nLast lines of its stderr:\n${tail}` : ' It wrote nothing to stderr.');

function startError(cfg: ServerConfig, label: string, err: unknown, tail: string, timedOut: boolean): ForgeError {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  if (isStdio(cfg) && e?.code === 'ENOENT') {
    return new ForgeError(
      'MCP_START',
      `Cannot start MCP server: command "${cfg.command}" was not found (ENOENT).`,
      'Check server.command: install it, put it on PATH, or give an absolute path (npx <package> works too).',
      { cause: err },
    );
  }
  if (isStdio(cfg) && e?.code === 'EACCES') {
    return new ForgeError('MCP_START', `Cannot start MCP server: "${cfg.command}" is not executable (EACCES).`, 'Make it executable (chmod +x) or run it through its interpreter, e.g. node server.js.', { cause: err });
  }
  if (timedOut || (err instanceof McpError && err.code === ErrorCode.RequestTimeout)) {
    return new ForgeError(
      'MCP_START',
      `MCP server ${label} did not answer initialize within ${cfg.startupTimeoutMs} ms (timed out) and was stopped.${isStdio(cfg) ? withStderr(tail) : ''}`,
      'If it is only slow to start, raise server.startupTimeoutMs; otherwise check that it speaks MCP on this transport (on stdio, stdout must carry only JSON-RPC).',
      { cause: err },
    );
  }
  if (err instanceof McpError && err.code === ErrorCode.ConnectionClosed) {
    const when = /right after answering initialize/.test(err.message) ? 'right after answering initialize, before the session started' : 'during startup, before answering initialize';
    return new ForgeError('MCP_START', `MCP server ${label} exited ${when}.${withStderr(tail)}`, 'Run the command by hand to see why it stops.', { cause: err });
  }
  if (!isStdio(cfg)) {
    // fetch hides the reason in its cause chain ("fetch failed" <- "connect ECONNREFUSED ...").
    const reasons: string[] = [];
    // (duck-typed: errors from Node internals may come from another realm, e.g. under Jest)
    for (let c = err as { message?: unknown; cause?: unknown } | undefined; c && typeof c === 'object' && reasons.length < 4; c = c.cause as typeof c) {
      if (typeof c.message === 'string' && c.message) reasons.push(c.message);
    }
    const code = e?.cause?.code ?? (typeof e?.code === 'string' ? e.code : undefined);
    const status = typeof e?.code === 'number' ? ` (HTTP ${e.code})` : code ? ` (${code})` : '';
    return new ForgeError(
      'MCP_START',
      `Cannot connect to MCP server at ${label}${status}: ${reasons.join(': ')}`,
      'Check that the server is running, the URL (including its path, often /mcp) and server.headers.',
      { cause: err },
    );
  }
  return new ForgeError('MCP_PROTOCOL', `MCP server ${label} failed during initialize: ${e?.message ?? String(err)}${withStderr(tail)}`, undefined, { cause: err });
}

/** Starts (stdio) or reaches (HTTP) a server and completes the MCP initialize handshake. */
export async function connectServer(cfg: ServerConfig, opts: ConnectOptions = {}): Promise<McpConnection> {
  const label = serverLabel(cfg);
  const secrets = serverSecrets(cfg);
  const started = isStdio(cfg) ? stdioTransport(cfg) : httpTransport(cfg);
  const { transport, stderr } = started;
  let closed = false;
  let protocolVersion: string | undefined;
  // Protocol.connect chains onto handlers already set, so this sees the initialize result first.
  transport.onmessage = (message) => {
    const result = (message as { result?: { protocolVersion?: unknown; serverInfo?: unknown } }).result;
    if (protocolVersion === undefined && result && typeof result.protocolVersion === 'string' && result.serverInfo) protocolVersion = result.protocolVersion;
  };
  const watchers = new Set<(fault: ProtocolFault) => void>();
  let startupClosed: (() => void) | undefined;
  transport.onclose = () => {
    closed = true;
    startupClosed?.();
  };
  // Protocol.connect chains onto this handler too: every transport/protocol error passes here first.
  const dispatch = (fault: ProtocolFault) => {
    const masked = new ProtocolFault(fault.kind, redactSecrets(fault.detail, secrets));
    for (const w of [...watchers]) w(masked);
  };
  transport.onerror = (err) => {
    const fault = protocolFault(err);
    if (fault) dispatch(fault);
  };
  const client = new Client({ name: opts.clientName ?? 'mcp-forge', version: opts.clientVersion ?? '0.1.0' }, { capabilities: {} });
  // The protocol layer reports its own findings (e.g. an answer for an unknown id) here, not to the transport.
  client.onerror = (err) => {
    const fault = protocolFault(err);
    if (fault && fault.kind === 'unknown-id') dispatch(fault);
  };

  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new Error('startup timeout'));
    }, cfg.startupTimeoutMs);
  });
  // A server that exits during the handshake (even right after answering initialize) is named as such.
  const exited = new Promise<never>((_, reject) => {
    startupClosed = () => reject(new McpError(ErrorCode.ConnectionClosed, protocolVersion ? 'exited right after answering initialize' : 'Connection closed'));
  });
  try {
    await Promise.race([client.connect(transport, { timeout: cfg.startupTimeoutMs }), deadline, ...(isStdio(cfg) ? [exited] : [])]);
  } catch (err) {
    started.kill();
    await started.stderrDone();
    void client.close().catch(() => undefined);
    if (err instanceof ForgeError) throw err;
    throw startError(cfg, label, err, redactSecrets(stderr.toString(), secrets), timedOut);
  } finally {
    clearTimeout(timer);
    startupClosed = undefined;
    exited.catch(() => undefined);
  }

  const info = client.getServerVersion();
  return {
    client,
    label,
    serverInfo: info ? { name: info.name, version: info.version } : undefined,
    protocolVersion,
    secrets,
    stderrTail: () => redactSecrets(stderr.toString(), secrets),
    watchFaults: () => {
      let watcher: ((fault: ProtocolFault) => void) | undefined;
      const fault = new Promise<never>((_, reject) => {
        watcher = (f) => reject(f);
        watchers.add(watcher);
      });
      fault.catch(() => undefined);
      return { fault, stop: () => void (watcher && watchers.delete(watcher)) };
    },
    isClosed: () => closed,
    close: async () => {
      if (transport instanceof StreamableHTTPClientTransport) await transport.terminateSession().catch(() => undefined);
      await client.close().catch(() => undefined);
      closed = true;
    },
  };
}
