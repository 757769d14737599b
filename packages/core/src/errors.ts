// One error taxonomy for the whole pipeline. Every error a user can cause carries a message that
// says what failed and what to do; the Nx executors and the CLI turn it into a readable failure
// (no stack trace unless FORGE_DEBUG is set).

export type ForgeErrorCode =
  | 'CONFIG' // forge.yaml missing, malformed or invalid
  | 'MCP_START' // server command missing, crashed or timed out at startup
  | 'MCP_PROTOCOL' // the server answered something unusable
  | 'MCP_CALL' // a tool call failed at the transport level
  | 'LOCK' // tools.lock.json missing, invalid or drifted
  | 'LLM' // model endpoint failure that retries could not fix
  | 'QUOTA' // insufficient_quota: fatal
  | 'BUDGET' // budget.maxUsd would be exceeded
  | 'GATE' // QC thresholds missed
  | 'IO' // files (paths outside the workspace, unreadable inputs)
  | 'INPUT'; // bad command-line input

export class ForgeError extends Error {
  readonly code: ForgeErrorCode;
  /** What the user can do about it (printed after the message). */
  readonly hint?: string;
  /**
   * `sample`: the failure belongs to one row (a truncated or malformed completion): the row is
   * rejected with the reason and the build goes on. `build` (default): the build stops.
   */
  scope: 'sample' | 'build' = 'build';
  constructor(code: ForgeErrorCode, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ForgeError';
    this.code = code;
    this.hint = hint;
  }
}

export interface ConfigIssue {
  /** Field path, e.g. `generator.concurrency` or `server[0].command`. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export class ConfigError extends ForgeError {
  readonly file: string;
  readonly issues: ConfigIssue[];
  constructor(file: string, issues: ConfigIssue[]) {
    super('CONFIG', formatConfigIssues(file, issues), 'Fix the fields above; the schema is packages/core/src/config/forge.schema.json.');
    this.name = 'ConfigError';
    this.file = file;
    this.issues = issues;
  }
}

export function formatConfigIssues(file: string, issues: ConfigIssue[]): string {
  const lines = issues.map((i) => {
    const at = i.line ? `${file}:${i.line}:${i.column ?? 1}` : file;
    return `${at}: ${i.path ? `${i.path}: ` : ''}${i.message}`;
  });
  return `Invalid config (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}

/** A readable one-screen description of any error (message, hint, cause chain). */
export function describeError(err: unknown): string {
  if (err instanceof ForgeError) return err.hint ? `${err.message}\n${err.hint}` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Whether an error must stop the build (anything but a per-row failure such as a bad completion). */
export function stopsBuild(err: unknown): boolean {
  return err instanceof ForgeError && err.scope === 'build';
}
