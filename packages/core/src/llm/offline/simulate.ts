// Simulated tool results of the offline provider. A result fits its call: it echoes the call's
// identifying values under the same keys (never a different entity than the one asked for), it
// conforms to the tool's outputSchema when there is one, and it adds facts of its own (counts, ids,
// statuses) that a final answer can report. Failures fit the call too: a not-found for the id or name
// that was asked for, a validation error for an out-of-range number.
import type { JsonSchema, ToolCall, ToolDef } from '../../types';
import type { Rng } from '../../util/rng';
import { sampleValue } from '../../schema/sample';
import { validateAgainst } from '../../schema/validator';
import { isReadTool, topicWords } from '../../stages/tool-roles';
import { humanKey } from './text';
import { kindsRead, recordsFor, type ConversationState, type StateRecord, writeKind } from '../../stages/conversation-state';
import { singular } from '../../stages/harvest';

type Json = Record<string, unknown>;

function scalars(args: unknown): [string, string | number | boolean][] {
  if (!args || typeof args !== 'object' || Array.isArray(args)) return [];
  return Object.entries(args as Json).filter((e): e is [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof e[1]));
}

/** Scalars and lists of scalars (the identifiers a call names: cities, ids, names) to echo in a result. */
function echoed(args: unknown): Json {
  if (!args || typeof args !== 'object' || Array.isArray(args)) return {};
  return Object.fromEntries(Object.entries(args as Json).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v) || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' || typeof x === 'number'))));
}

/** Leaf values of the arguments by key (any depth), to echo under the same keys. */
function leavesByKey(v: unknown, out = new Map<string, unknown[]>(), key = ''): Map<string, unknown[]> {
  if (Array.isArray(v)) v.forEach((x) => leavesByKey(x, out, key));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v as Json)) leavesByKey(x, out, k);
  else if (key && v !== undefined && v !== null) out.set(key, [...(out.get(key) ?? []), v]);
  return out;
}

/** Lists of scalars in the arguments by key (any depth): `observations: ["a", "b"]`, to echo whole. */
function listsByKey(v: unknown, out = new Map<string, unknown[][]>()): Map<string, unknown[][]> {
  if (Array.isArray(v)) v.forEach((x) => listsByKey(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Json)) {
      if (Array.isArray(x) && x.length && x.every((e) => e === null || typeof e !== 'object')) out.set(k, [...(out.get(k) ?? []), x]);
      else listsByKey(x, out);
    }
  }
  return out;
}

/** Set same-named keys of a sampled result to the call's values (each change kept only if the result still conforms). */
function echoInto(result: unknown, args: unknown, schema: JsonSchema): unknown {
  const leaves = leavesByKey(args);
  const lists = listsByKey(args);
  if (!leaves.size) return result;
  const used = new Map<string, number>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const obj = node as Json;
      for (const k of Object.keys(obj)) {
        const values = leaves.get(k);
        const listed = lists.get(k);
        if (listed && Array.isArray(obj[k])) {
          // A list the call gave (an entity's observations) comes back as given, not as sampled words.
          const i = used.get(`[]${k}`) ?? 0;
          const before = obj[k];
          obj[k] = [...listed[i % listed.length]];
          used.set(`[]${k}`, i + 1);
          if (!validateAgainst(schema, result).valid) obj[k] = before;
        } else if (values && typeof obj[k] === typeof values[0]) {
          const i = used.get(k) ?? 0;
          const before = obj[k];
          obj[k] = values[i % values.length];
          used.set(k, i + 1);
          if (!validateAgainst(schema, result).valid) obj[k] = before;
        } else visit(obj[k]);
      }
    }
  };
  visit(result);
  return result;
}

/**
 * A result list that answers a list of the call (`entities: [{...}]` -> `entities`, `observations:
 * [{entityName, contents}]` -> `results: [{entityName, addedObservations}]`): one item per item of
 * the call, with the call's values under the same keys and its one list of strings where the item
 * has a list of strings. Kept only if the result still conforms.
 */
function mirrorLists(result: unknown, args: unknown, schema: JsonSchema, rng: Rng): unknown {
  if (!result || typeof result !== 'object' || Array.isArray(result) || !args || typeof args !== 'object') return result;
  const props = ((schema as { properties?: Record<string, JsonSchema> }).properties ?? {}) as Record<string, { type?: unknown; items?: JsonSchema }>;
  const argLists = Object.entries(args as Json).filter((e): e is [string, Json[]] => Array.isArray(e[1]) && e[1].length > 0 && e[1].every((x) => x && typeof x === 'object' && !Array.isArray(x)));
  const out = result as Json;
  // An empty list in the call (`relations: []`) gets an empty list back, not invented items.
  for (const [key, v] of Object.entries(args as Json)) {
    if (!Array.isArray(v) || v.length || !Array.isArray(out[key]) || props[key]?.type !== 'array') continue;
    const before = out[key];
    out[key] = [];
    if (!validateAgainst(schema, out).valid) out[key] = before;
  }
  if (!argLists.length) return out;
  for (const [key, prop] of Object.entries(props)) {
    if (prop?.type !== 'array' || !prop.items || (prop.items as { type?: unknown }).type !== 'object' || !Array.isArray(out[key])) continue;
    const source = argLists.find(([k]) => k === key)?.[1] ?? (argLists.length === 1 ? argLists[0][1] : undefined);
    if (!source) continue;
    const before = out[key];
    const sampled = out[key] as unknown[];
    out[key] = source.map((a, i) => {
      const base = sampled[i] && typeof sampled[i] === 'object' ? structuredClone(sampled[i]) : sampleValue(prop.items as JsonSchema, { rng, name: key, mode: 'typical' });
      const item = (base && typeof base === 'object' ? base : {}) as Json;
      const strings = Object.values(a).filter((v) => Array.isArray(v) && v.every((x) => typeof x === 'string'));
      for (const k of Object.keys(item)) {
        if (k in a && typeof a[k] === typeof item[k]) item[k] = structuredClone(a[k]);
        else if (Array.isArray(item[k]) && strings.length === 1) item[k] = [...(strings[0] as string[])];
      }
      for (const [k, v] of Object.entries(a)) if (!(k in item) && ((prop.items as { properties?: Json }).properties ?? {})[k] !== undefined) item[k] = structuredClone(v);
      return item;
    });
    if (!validateAgainst(schema, out).valid) out[key] = before;
  }
  return out;
}


function topic(tool: ToolDef): string {
  return [...topicWords(tool)].join('-') || 'item';
}

function hex(rng: Rng, n = 6): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[rng.int(0, 15)];
  return s;
}

/** The bounds a number property declares ("1 to 7"), if any. */
function boundsOf(tool: ToolDef, key: string): { lo?: number; hi?: number } {
  const props = ((tool.inputSchema as { properties?: Record<string, { minimum?: unknown; maximum?: unknown }> }) ?? {}).properties ?? {};
  const p = props[key] ?? {};
  return { lo: typeof p.minimum === 'number' ? p.minimum : undefined, hi: typeof p.maximum === 'number' ? p.maximum : undefined };
}

/**
 * A failure that fits the call: not found for an id/name nothing earlier in the conversation
 * contains, a conflict for one that does exist, out of range for a number, else unavailable.
 */
function failure(tool: ToolDef, args: unknown, rng: Rng, state?: ConversationState): string {
  const entries = scalars(args);
  const what = topicWords(tool).size ? [...topicWords(tool)].join(' ') : 'item';
  const id = entries.find(([k, v]) => typeof v === 'string' && /(^|_)(id|name|key|path|slug|city|title|uri|url|entity|query|file)s?$/i.test(k));
  if (id && state?.seen.has(String(id[1]).toLowerCase())) {
    // It exists (an earlier result or write named it): the failure cannot be a not-found.
    return writeKind(tool) === 'created' && !isReadTool(tool)
      ? `${what} "${id[1]}" already exists (409 conflict)`
      : rng.pick([`${what} "${id[1]}" is locked by another operation (409 conflict), try again later`, `permission denied for ${what} "${id[1]}" (403)`]);
  }
  if (id) return rng.pick([`${what} "${id[1]}" was not found`, `no ${what} matches ${humanKey(id[0])} "${id[1]}" (404)`, `${humanKey(id[0])} "${id[1]}" does not exist`]);
  // A number is "out of range" only when it is outside what the schema declares (or nothing is declared).
  const outside = ([k, v]: [string, unknown]) => {
    if (typeof v !== 'number') return false;
    const { lo, hi } = boundsOf(tool, k);
    return (lo === undefined && hi === undefined) || (lo !== undefined && v < lo) || (hi !== undefined && v > hi);
  };
  const num = entries.find(outside);
  if (num) {
    const { lo, hi } = boundsOf(tool, num[0]);
    const range = lo !== undefined && hi !== undefined ? ` (${lo} to ${hi})` : lo !== undefined ? ` (at least ${lo})` : hi !== undefined ? ` (at most ${hi})` : '';
    return `invalid ${humanKey(num[0])}: ${num[1]} is outside the accepted range${range}`;
  }
  const str = entries.find(([, v]) => typeof v === 'string');
  if (str) return `${humanKey(str[0])} "${str[1]}" was rejected: nothing matches it`;
  return `the ${what} service is temporarily unavailable (503), ${tool.serverToolName || tool.name} could not complete`;
}

/**
 * The schema of the id another offered tool takes for what `tool` is about (`get_event`'s `event_id`
 * for `create_event`), so that a simulated id is one a later call can use (its pattern, its format).
 */
export function idSchemaFor(tool: ToolDef, offered: ToolDef[]): JsonSchema | undefined {
  const about = topicWords(tool);
  for (const other of offered) {
    if (other.name === tool.name) continue;
    const props = ((other.inputSchema as { properties?: Record<string, JsonSchema> }) ?? {}).properties ?? {};
    for (const [key, schema] of Object.entries(props)) {
      const m = /^(.+?)_?id$/i.exec(key);
      if (m && typeof schema === 'object' && (schema as { type?: unknown }).type === 'string' && [...about].some((w) => m[1].toLowerCase().replace(/[^a-z0-9]/g, '').startsWith(w))) return schema;
    }
  }
  return undefined;
}

/** The records as the items of an output list: only the keys its item schema allows when it is closed. */
function asItems(records: StateRecord[], listSchema: JsonSchema | undefined): Json[] {
  const items = (listSchema as { items?: { properties?: Json; additionalProperties?: unknown } } | undefined)?.items;
  const allowed = items && items.additionalProperties === false && items.properties ? new Set(Object.keys(items.properties)) : undefined;
  return records.map((r) => (allowed ? Object.fromEntries(Object.entries(r.value).filter(([k]) => allowed.has(k))) : structuredClone(r.value)));
}

/** A read answered from the conversation's state: its lists hold the records earlier writes made. */
function readFromState(tool: ToolDef, args: unknown, records: StateRecord[], rng: Rng): string | undefined {
  const schema = tool.outputSchema;
  if (schema && typeof schema === 'object') {
    const props = ((schema as { properties?: Record<string, JsonSchema> }).properties ?? {}) as Record<string, JsonSchema>;
    const out = echoInto(sampleValue(schema, { rng, name: tool.name, mode: 'typical' }), args, schema) as Json;
    if (!out || typeof out !== 'object') return undefined;
    const kinds = kindsRead(tool);
    for (const [key, prop] of Object.entries(props)) {
      if ((prop as { type?: unknown }).type !== 'array') continue;
      const kind = singular(key);
      if (!kinds.has(kind)) continue;
      out[key] = asItems(records.filter((r) => r.kind === kind), prop);
    }
    return validateAgainst(schema, out).valid ? JSON.stringify(out) : undefined;
  }
  const echo = echoed(args);
  return JSON.stringify({ ...echo, count: records.length, items: records.map((r) => r.value) });
}

/** Facts a write result states in words (`message`), and its `success` flag, where the schema has them. */
function settle(result: unknown, tool: ToolDef, args: unknown, schema: JsonSchema): unknown {
  if (!result || typeof result !== 'object' || Array.isArray(result)) return result;
  const out = result as Json;
  const before = { ...out };
  if (typeof out.success === 'boolean') out.success = true;
  if (typeof out.message === 'string') {
    const named = [...leavesByKey(args).entries()].filter(([k]) => /(name|id|title|path)s?$/i.test(k)).flatMap(([, v]) => v);
    const names = [...new Set(named.filter((v): v is string => typeof v === 'string'))].slice(0, 5);
    const what = [...topicWords(tool)].join(' ') || 'item';
    out.message = `${writeKind(tool)[0].toUpperCase()}${writeKind(tool).slice(1)} ${what}${names.length ? `: ${names.join(', ')}` : ''}`;
  }
  if (!validateAgainst(schema, out).valid) return before;
  return out;
}

export function simulate(tool: ToolDef, call: ToolCall, failing: boolean, rng: Rng, idSchema?: JsonSchema, state?: ConversationState): string {
  const args = call.arguments;
  if (failing) return failure(tool, args, rng, state);
  if (state && isReadTool(tool)) {
    const records = recordsFor(state, tool, args);
    const fromState = records && readFromState(tool, args, records, rng);
    if (fromState) return fromState;
  }
  if (tool.outputSchema && typeof tool.outputSchema === 'object') {
    const sampled = sampleValue(tool.outputSchema, { rng, name: tool.name, mode: 'typical' });
    const echoedResult = isReadTool(tool) ? echoInto(sampled, args, tool.outputSchema) : mirrorLists(echoInto(sampled, args, tool.outputSchema), args, tool.outputSchema, rng);
    return JSON.stringify(isReadTool(tool) ? echoedResult : settle(echoedResult, tool, args, tool.outputSchema));
  }
  const echo = echoed(args);
  const t = topic(tool);
  if (isReadTool(tool)) {
    // A list argument (cities, ids, names) gets one entry per value asked for; else one to three matches.
    const list = Object.values(echo).find((v): v is (string | number)[] => Array.isArray(v));
    const n = list ? list.length : rng.int(1, 3);
    const items = Array.from({ length: n }, (_, i) => ({
      id: `${t}-${hex(rng)}`,
      ...(list ? { name: list[i] } : { title: `${t.replace(/-/g, ' ')} ${rng.pick(['record', 'entry', 'result', 'match'])} ${i + 1}` }),
      updated: `2025-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
    }));
    return JSON.stringify({ ...echo, count: n, items });
  }
  const idKey = Object.keys(echo).find((k) => /(^|_)id$/i.test(k));
  const freshId = idSchema ? String(sampleValue(idSchema, { rng, name: 'id', mode: 'typical' })) : `${t}-${hex(rng, 8)}`;
  return JSON.stringify({ status: writeKind(tool), id: idKey ? echo[idKey] : freshId, ...echo, at: `2025-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}T${String(rng.int(0, 23)).padStart(2, '0')}:00:00Z` });
}
