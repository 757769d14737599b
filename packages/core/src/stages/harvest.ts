// Value pools from the live server. Sampled values such as a random city name are valid for the
// schema but unknown to a real server, so a live call would fail where the scenario wants a success.
// Before generating, the read-only tools that need no arguments (list_*, search_* with optional
// filters) are called once, and the scalar values of their results are pooled by key ("city",
// "country", "name", ...). Argument hints then prefer pooled values for properties of the same name.
// A required path-like argument is called with "." (the server's root or working directory), and a
// result shaped as a tree of named nodes ({name, children}) gives the relative paths of its nodes.
import type { ToolDef } from '../types';
import type { LiveTools } from './execute';
import type { Rng } from '../util/rng';
import { validateAgainst } from '../schema/validator';

export type ValuePools = Map<string, string[]>;

/**
 * The smallest arguments a tool accepts without invented values: required objects filled with their
 * own minimal arguments; undefined when a required scalar would have to be made up.
 */
export function minimalArgs(schema: unknown, depth = 0): Record<string, unknown> | undefined {
  const s = (schema ?? {}) as { type?: unknown; properties?: Record<string, unknown>; required?: unknown };
  if (depth > 4 || (s.type !== undefined && s.type !== 'object')) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of Array.isArray(s.required) ? (s.required as string[]) : []) {
    const prop = (s.properties?.[key] ?? {}) as { type?: unknown };
    if (depth === 0 && PATH_KEY.test(key) && (prop.type === 'string' || prop.type === undefined)) {
      out[key] = '.';
      continue;
    }
    const inner = minimalArgs(s.properties?.[key], depth + 1);
    if (!inner) return undefined;
    out[key] = inner;
  }
  return out;
}

const PATH_KEY = /^(path|dir|directory|root|folder)$/i;

/** Relative paths of the nodes of a `{name, children}` tree (directory listings), by kind. */
function treePaths(value: unknown, prefix: string, out: { file: Set<string>; dir: Set<string> }, depth = 0): void {
  if (depth > 8 || out.file.size + out.dir.size > 500) return;
  if (Array.isArray(value)) {
    for (const v of value) treePaths(v, prefix, out, depth + 1);
    return;
  }
  const node = value as { name?: unknown; children?: unknown; type?: unknown };
  if (!node || typeof node !== 'object' || typeof node.name !== 'string') return;
  const path = prefix ? `${prefix}/${node.name}` : node.name;
  const isDir = Array.isArray(node.children) || node.type === 'directory' || node.type === 'dir';
  (isDir ? out.dir : out.file).add(path);
  if (Array.isArray(node.children)) treePaths(node.children, path, out, depth + 1);
}

/** Which kind of path a tool wants, from the words of its name (list_directory, read_text_file). */
function pathKindFor(toolName: string): 'dir' | 'file' | undefined {
  if (/dir|tree|list|search|find|folder/i.test(toolName)) return 'dir';
  if (/file|read|write|edit|open|move/i.test(toolName)) return 'file';
  return undefined;
}

/** `cities` -> `city`, `entities` -> `entity`, `matches` -> `match`, `names` -> `name` (lower case). */
export function singular(key: string): string {
  const k = key.toLowerCase();
  if (k.length > 4 && k.endsWith('ies')) return `${k.slice(0, -3)}y`;
  if (/(ses|xes|ches|shes)$/.test(k)) return k.slice(0, -2);
  if (k.length > 3 && k.endsWith('s') && !k.endsWith('ss')) return k.slice(0, -1);
  return k;
}

/**
 * The pool a property's values go to: its name in lower case, the last word singular (`cities` ->
 * city, `entityNames` -> entity_name, `channel_id` -> channel_id).
 */
export function poolKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (!words.length) return singular(key);
  words[words.length - 1] = singular(words[words.length - 1]);
  return words.join('_');
}

/** Keys whose values name the object they are in (`channels: [{id, name}]` -> channel_id, channel_name). */
const NAMING_KEY = /^(id|name|key|slug|title|number|handle)$/i;

function add(pools: Map<string, Set<string>>, key: string, value: string): void {
  if (!pools.has(key)) pools.set(key, new Set());
  pools.get(key)!.add(value);
}

function collect(value: unknown, key: string, pools: Map<string, Set<string>>, depth = 0, owner = ''): void {
  if (depth > 6 || value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const v of value.slice(0, 200)) collect(v, key, pools, depth + 1, key ? poolKey(key) : owner);
    return;
  }
  if (typeof value === 'object') {
    // The objects of a list (or under a key) own their id and name: `channels: [{id}]` also feeds `channel_id`.
    const self = key ? poolKey(key) : owner;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) collect(v, k, pools, depth + 1, self);
    return;
  }
  if (typeof value === 'string' && key && value.length > 0 && value.length <= 80) {
    add(pools, poolKey(key), value);
    if (owner && NAMING_KEY.test(key) && !owner.endsWith(`_${key.toLowerCase()}`)) add(pools, `${owner}_${key.toLowerCase()}`, value);
  }
}

export async function harvestValues(tools: ToolDef[], live: LiveTools | undefined, isLive: (t: ToolDef) => boolean): Promise<ValuePools> {
  const pools = new Map<string, Set<string>>();
  if (!live) return new Map();
  for (const tool of tools) {
    const args = minimalArgs(tool.inputSchema);
    if (!isLive(tool) || !args || !validateAgainst(tool.inputSchema, args).valid) continue;
    try {
      const result = await live.call(tool, args);
      if (result.isError) continue;
      const parsed = JSON.parse(result.text);
      collect(parsed, '', pools);
      const paths = { file: new Set<string>(), dir: new Set<string>() };
      treePaths(parsed, '', paths);
      for (const kind of ['file', 'dir'] as const) {
        if (paths[kind].size) pools.set(`path:${kind}`, new Set([...(pools.get(`path:${kind}`) ?? []), ...paths[kind]]));
      }
    } catch {
      // Not JSON, or the call failed: nothing to learn from this tool.
    }
  }
  const out: ValuePools = new Map();
  for (const [k, set] of [...pools].sort(([a], [b]) => a.localeCompare(b))) if (set.size >= 2) out.set(k, [...set].sort());
  return out;
}

/** Replace string values (and string arrays) whose property name has a pool by pooled values, where still valid. */
export function applyPools(args: Record<string, unknown>, schema: unknown, pools: ValuePools, rng: Rng, toolName = ''): Record<string, unknown> {
  if (!pools.size || !args || typeof args !== 'object') return args;
  const kind = pathKindFor(toolName);
  const poolFor = (key: string): string[] | undefined => {
    const k = poolKey(key);
    if (k !== 'path') return pools.get(k);
    return (kind && pools.get(`path:${kind}`)) || pools.get('path') || [...(pools.get('path:file') ?? []), ...(pools.get('path:dir') ?? [])];
  };
  const visit = (v: unknown, key: string): unknown => {
    const found = poolFor(key);
    const pool = found && found.length ? found : undefined;
    if (typeof v === 'string' && pool) return rng.pick(pool);
    if (Array.isArray(v)) {
      if (pool && v.every((x) => typeof x === 'string')) {
        const picks = rng.shuffle([...pool]).slice(0, v.length);
        return picks.length === v.length ? picks : v;
      }
      return v.map((x) => visit(x, key));
    }
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) o[k] = visit(x, k);
      return o;
    }
    return v;
  };
  const candidate = visit(args, '') as Record<string, unknown>;
  return validateAgainst(schema as Record<string, unknown>, candidate).valid ? candidate : args;
}
