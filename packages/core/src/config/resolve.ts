// From validated data to the ForgeConfig every stage reads: defaults applied, `server` normalised to
// a list, ${VAR} references expanded, paths made absolute against the config file's directory and
// kept inside the workspace.
import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ForgeConfig, HttpServerConfig, ServerConfig, StdioServerConfig } from './types';
import { withDefaults } from './defaults';
import { expandEnv } from './env-expand';
import { forgeSchema, type SchemaNode } from './schema';
import type { PathIssue, PathSegment } from './yaml-source';

export interface ResolveOptions {
  /** Paths (`output.dir`, `mix.real[].path`) must resolve inside this directory. */
  workspaceRoot?: string;
  /** Where `${VAR}` values come from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * false: leave `${VAR}` references as written. For readers that need the config's shape but must
   * not depend on secrets being set (e.g. the Nx project graph reading `server.project`).
   */
  expandEnv?: boolean;
}

const definitions = forgeSchema.definitions as Record<string, SchemaNode>;

type Raw = Record<string, unknown>;

export function resolveConfig(data: Raw, filepath: string, opts: ResolveOptions = {}): { config: ForgeConfig; issues: PathIssue[] } {
  const issues: PathIssue[] = [];
  const env = opts.env ?? process.env;
  const dir = path.dirname(filepath);
  const { server, $schema: _editorHint, ...rest } = data;
  for (const key of Object.keys(rest)) if (key.startsWith('x-')) delete rest[key]; // extension keys only hold anchors
  const cfg = withDefaults<Omit<ForgeConfig, 'filepath' | 'dir' | 'servers'>>(rest);

  const entries = Array.isArray(server) ? server.map((s, i) => [s, ['server', i]] as const) : [[server, ['server']] as const];
  const servers = entries.map(([entry, at]) => resolveServer(entry as Raw, [...at], dir, opts.expandEnv === false ? undefined : env, issues));

  const insideWorkspace = (p: string, at: PathSegment[]): string => {
    const resolved = path.resolve(dir, p);
    const root = opts.workspaceRoot && path.resolve(opts.workspaceRoot);
    if (root && at[0] === 'output' && path.relative(root, resolved) === '') {
      issues.push({ at, message: `resolves to the workspace root ${root}; the outputs (README.md, train.jsonl, reports) would overwrite the workspace's files; use a directory of its own, e.g. dist/datasets/<name>` });
    } else if (root && at[0] === 'output' && statSync(resolved, { throwIfNoEntry: false })?.isDirectory() === false) {
      issues.push({ at, message: `${resolved} exists and is not a directory; give a directory for the outputs (it is created when missing)` });
    } else if (root && !isInside(root, resolved)) {
      issues.push({ at, message: `resolves to ${resolved}, outside the workspace ${root}; use a path inside the workspace` });
    } else if (root) {
      // A symbolic link inside the workspace (one can arrive with a pull request) may lead out of it.
      const real = realPath(resolved);
      if (!isInside(realPath(root), real)) {
        issues.push({ at, message: `resolves to ${resolved}, a symbolic link to ${real}, outside the workspace ${root}; use a path inside the workspace` });
      }
    }
    return resolved;
  };
  const mix = cfg.mix;
  mix.real = mix.real.map((source, i) => ({ ...source, path: insideWorkspace(source.path, ['mix', 'real', i, 'path']) }));
  if (cfg.output.dir !== undefined) cfg.output.dir = insideWorkspace(cfg.output.dir, ['output', 'dir']);
  for (const price of Object.values(cfg.budget.pricing)) price.cachedInput ??= price.input;

  // The name goes into sample ids and prompt_cache_key: it comes from `name` (or the Nx project / --name
  // given to the pipeline), never from the config's folder, so outputs do not depend on where files live.
  const config: ForgeConfig = { filepath, dir, ...(cfg.name !== undefined ? { name: cfg.name } : {}), ...withoutName(cfg), servers };
  return { config, issues };
}

/** `env` undefined: references are kept as written. */
function resolveServer(entry: Raw, at: PathSegment[], dir: string, env: NodeJS.ProcessEnv | undefined, issues: PathIssue[]): ServerConfig {
  /** The expanded text, or undefined (with an issue) when a reference cannot be expanded. */
  const used: string[] = [];
  const expand = (text: string, where: PathSegment[]): string | undefined => {
    if (!env) return text;
    const result = expandEnv(text, env, used);
    if (result.ok) return result.value;
    issues.push({ at: where, message: result.message });
    return undefined;
  };
  const expandMap = (map: Record<string, string>, key: string): Record<string, string> =>
    Object.fromEntries(Object.entries(map).map(([k, v]) => [k, expand(v, [...at, key, k]) ?? v]));

  if (typeof entry.command === 'string') {
    const s = withDefaults<StdioServerConfig>(entry, definitions.stdioServer);
    return withExpanded({ ...s, env: expandMap(s.env, 'env'), cwd: path.resolve(dir, s.cwd ?? '.') }, used);
  }
  const s = withDefaults<HttpServerConfig>(entry, definitions.httpServer);
  const url = expand(s.url, [...at, 'url']);
  if (url !== undefined && !(env === undefined && url.includes('${'))) checkHttpUrl(url, s.url, [...at, 'url'], issues);
  return withExpanded({ ...s, url: url ?? s.url, headers: expandMap(s.headers, 'headers') }, used);
}

/** Records the values read through ${VAR} (non-enumerable: never hashed, serialised or printed). */
function withExpanded<T extends ServerConfig>(server: T, used: string[]): T {
  Object.defineProperty(server, 'expandedSecrets', { value: [...new Set(used)], enumerable: false });
  return server;
}

/** The URL is checked after expansion, but the message quotes it as written (the expansion may hold secrets). */
function checkHttpUrl(url: string, written: string, at: PathSegment[], issues: PathIssue[]): void {
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    /* reported below */
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    issues.push({ at, message: `expected an http:// or https:// URL, got ${JSON.stringify(written)}` });
  }
}

/** The path with every symbolic link resolved; the part that does not exist yet is kept as written. */
function realPath(p: string, depth = 0): string {
  const rest: string[] = [];
  let existing = p;
  while (!lstatSync(existing, { throwIfNoEntry: false })) {
    const parent = path.dirname(existing);
    if (parent === existing) return p;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  try {
    return path.join(realpathSync(existing), ...rest);
  } catch {
    // A dangling link: where it points is where a write would land.
    if (depth > 20 || !lstatSync(existing).isSymbolicLink()) return p;
    return path.join(realPath(path.resolve(path.dirname(existing), readlinkSync(existing)), depth + 1), ...rest);
  }
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

function withoutName<T extends { name?: string }>(cfg: T): Omit<T, 'name'> {
  const { name: _name, ...rest } = cfg;
  return rest;
}
