// Reading tools.lock.json back (with errors that say where and what to do) and comparing two locks
// for `inspect --check`.
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ForgeError } from '../errors';
import type { ToolDef, ToolsLock } from '../types';
import { canonicalJson } from '../util/hash';
import { jsonErrorOffset, lineColumn } from './json-error';

export interface LockDiff {
  added: string[];
  removed: string[];
  changed: { name: string; fields: string[] }[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSchema = (v: unknown) => isRecord(v) || typeof v === 'boolean';

/** Shape problems of a parsed lock, as `path: expected ...` lines. */
function shapeProblems(data: unknown): string[] {
  if (!isRecord(data)) return ['(root): expected an object'];
  const problems: string[] = [];
  if (data.lockfileVersion !== 1) problems.push(`lockfileVersion: expected 1, got ${JSON.stringify(data.lockfileVersion)}`);
  const servers = Array.isArray(data.servers) ? data.servers : undefined;
  if (!servers) problems.push('servers: expected an array');
  servers?.forEach((s, i) => {
    if (!isRecord(s) || typeof s.label !== 'string') problems.push(`servers[${i}].label: expected a string`);
  });
  if (!Array.isArray(data.tools)) return [...problems, 'tools: expected an array'];
  data.tools.forEach((t, i) => {
    const at = `tools[${i}]`;
    if (!isRecord(t)) return problems.push(`${at}: expected an object`);
    if (typeof t.name !== 'string' || !t.name) problems.push(`${at}.name: expected a non-empty string`);
    if (typeof t.serverToolName !== 'string' || !t.serverToolName) problems.push(`${at}.serverToolName: expected a non-empty string`);
    if (!Number.isInteger(t.server) || (t.server as number) < 0 || (servers && (t.server as number) >= servers.length)) {
      problems.push(`${at}.server: expected an index into servers (0..${(servers?.length ?? 1) - 1}), got ${JSON.stringify(t.server)}`);
    }
    if (typeof t.description !== 'string') problems.push(`${at}.description: expected a string`);
    if (!isSchema(t.inputSchema)) problems.push(`${at}.inputSchema: expected a JSON Schema (object or boolean)`);
    if (t.outputSchema !== undefined && !isSchema(t.outputSchema)) problems.push(`${at}.outputSchema: expected a JSON Schema (object or boolean)`);
    if (t.annotations !== undefined && !isRecord(t.annotations)) problems.push(`${at}.annotations: expected an object`);
  });
  return problems;
}

const regenerate = (path: string, project?: string) =>
  `Run \`nx run ${project ?? basename(dirname(path))}:inspect\` (or \`mcp-forge inspect\`) to write it again.`;

/** Parses lock text; `path` is only used in messages. */
export function parseLock(text: string, path: string, opts: { project?: string } = {}): ToolsLock {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const offset = jsonErrorOffset(text);
    const { line, column } = lineColumn(text, offset >= 0 ? offset : text.length);
    throw new ForgeError('LOCK', `${path}:${line}:${column}: invalid JSON in the lock file: ${message}`, `Fix the file, or delete it. ${regenerate(path, opts.project)}`);
  }
  const problems = shapeProblems(data);
  if (problems.length) {
    throw new ForgeError('LOCK', `${path} is not a valid tools.lock.json:\n${problems.map((p) => `  ${p}`).join('\n')}`, regenerate(path, opts.project));
  }
  return data as ToolsLock;
}

/** Reads and checks a lock file. `project` names the Nx project in the hint (default: the file's directory name). */
export function readLock(path: string, opts: { project?: string } = {}): ToolsLock {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ForgeError('LOCK', `Lock file ${path} does not exist.`, regenerate(path, opts.project));
    throw new ForgeError('LOCK', `Cannot read lock file ${path}: ${(err as Error).message}`, undefined, { cause: err });
  }
  return parseLock(text, path, opts);
}

const COMPARED: (keyof ToolDef)[] = ['server', 'serverToolName', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'];

/** What changed from lock `a` (committed) to lock `b` (fresh). Key order inside schemas does not count. */
export function diffLocks(a: ToolsLock, b: ToolsLock): LockDiff {
  const before = new Map(a.tools.map((t) => [t.name, t]));
  const after = new Map(b.tools.map((t) => [t.name, t]));
  const sortNames = (names: string[]) => names.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const added = sortNames([...after.keys()].filter((n) => !before.has(n)));
  const removed = sortNames([...before.keys()].filter((n) => !after.has(n)));
  const changed: LockDiff['changed'] = [];
  for (const name of sortNames([...after.keys()].filter((n) => before.has(n)))) {
    const x = before.get(name)!;
    const y = after.get(name)!;
    const fields = COMPARED.filter((f) => canonicalJson(x[f] ?? null) !== canonicalJson(y[f] ?? null));
    if (fields.length) changed.push({ name, fields: fields as string[] });
  }
  return { added, removed, changed };
}

export function formatLockDiff(diff: LockDiff): string {
  const lines = [
    ...diff.added.map((n) => `  + ${n} (new tool)`),
    ...diff.removed.map((n) => `  - ${n} (removed)`),
    ...diff.changed.map((c) => `  ~ ${c.name}: ${c.fields.join(', ')} changed`),
  ];
  if (!lines.length) return '  no tool changed (only the server list or the file formatting differs)';
  const counts = `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed`;
  return `${counts}\n${lines.join('\n')}`;
}
