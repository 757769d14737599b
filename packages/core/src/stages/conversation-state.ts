// What the simulated world of one conversation holds so far, replayed from its messages: the
// records earlier writes created (entities, alerts, issues, files...), changed or deleted, and every
// value an earlier result named. A later simulated read returns these records with the same ids,
// names and values; a failure says not-found only for an id nothing earlier contains. Derived from
// the messages alone (no state kept between calls), so the same conversation gives the same bytes.
import type { JsonSchema, Message, ToolCall, ToolDef } from '../types';
import { isReadTool, nameWords, topicWords } from './tool-roles';
import { singular } from './harvest';
import { isPlainObject } from '../formats/json';

type Json = Record<string, unknown>;

export interface StateRecord {
  /** What kind of thing it is, singular and lower case (`entity`, `relation`, `alert`). */
  kind: string;
  value: Json;
}

export interface ConversationState {
  records: StateRecord[];
  /** Identifying values of deleted records (lower case): a later read does not find them. */
  deleted: Set<string>;
  /** Every scalar string of earlier successful results and created records (lower case). */
  seen: Set<string>;
}

export type WriteKind = 'created' | 'deleted' | 'updated';

const CREATE = /^(create|add|insert|post|register|schedule|set|book|open|make|start|send|upload|publish|new|write|save|store)$/;
const DELETE = /^(delete|remove|archive|cancel|close|clear|stop|drop|destroy|unset)$/;

export function writeKind(tool: ToolDef): WriteKind {
  const words = nameWords(tool.serverToolName || tool.name);
  for (const w of words) {
    if (DELETE.test(w)) return 'deleted';
    if (CREATE.test(w)) return 'created';
  }
  return 'updated';
}


const ID_KEY = /^(id|name|title|key|slug|path|uri|url|uuid|handle|number)$|(_id|Id|_name|Name|_key|_path|_number)$/;


/** The values that name a record (its id, name, title, path...), lower case. */
export function identifiers(value: Json): string[] {
  return Object.entries(value)
    .filter(([k, v]) => ID_KEY.test(k) && (typeof v === 'string' || typeof v === 'number'))
    .map(([, v]) => String(v).toLowerCase());
}

/** Every scalar of a value (any depth), as lower-case strings. */
export function scalarStrings(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => scalarStrings(x, out));
  else if (isPlainObject(v)) Object.values(v).forEach((x) => scalarStrings(x, out));
  else if (typeof v === 'string' || typeof v === 'number') out.push(String(v).toLowerCase());
  return out;
}

/** The kind a tool's records are, from its name (`set_weather_alert` -> alert). */
function toolKind(tool: ToolDef): string {
  const topics = [...topicWords(tool)];
  return topics[topics.length - 1] ?? 'item';
}

/** Top-level arrays of objects in the arguments (`entities: [{...}]`): each item is a record of that kind. */
function itemLists(args: Json): [string, Json[]][] {
  return Object.entries(args).filter((e): e is [string, Json[]] => Array.isArray(e[1]) && e[1].length > 0 && e[1].every(isPlainObject)).map(([k, v]) => [singular(k), v]);
}

function parse(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    return undefined;
  }
}

/** The record an object refers to by one of its identifying values (`entityName: "Ada"` -> the entity Ada). */
function referenced(state: ConversationState, item: Json, except?: string): StateRecord | undefined {
  const values = Object.entries(item).filter(([, v]) => typeof v === 'string').map(([, v]) => String(v).toLowerCase());
  return state.records.find((r) => r.kind !== except && identifiers(r.value).some((id) => values.includes(id)));
}

function applyCreate(state: ConversationState, tool: ToolDef, args: Json, result: unknown): void {
  const lists = itemLists(args);
  if (lists.length) {
    for (const [kind, items] of lists) {
      for (const item of items) {
        // `observations: [{entityName, contents}]` adds to an existing entity's observations.
        const target = referenced(state, item, kind);
        const listed = Object.entries(item).find(([, v]) => Array.isArray(v) && v.every((x) => typeof x === 'string'));
        if (target && listed) {
          const field = Object.keys(target.value).find((k) => singular(k) === kind && Array.isArray(target.value[k])) ?? listed[0];
          const before = Array.isArray(target.value[field]) ? (target.value[field] as unknown[]) : [];
          target.value[field] = [...before, ...(listed[1] as string[]).filter((x) => !before.includes(x))];
          continue;
        }
        state.records.push({ kind, value: structuredClone(item) });
        for (const id of identifiers(item)) state.deleted.delete(id);
      }
    }
    return;
  }
  const out = isPlainObject(result) ? result : {};
  const id = out.id ?? Object.entries(out).find(([k]) => /(_id|Id)$/.test(k))?.[1];
  const value: Json = { ...(id !== undefined && typeof id !== 'object' ? { id } : {}), ...structuredClone(args) };
  if (typeof out.at === 'string') value.created_at = out.at;
  state.records.push({ kind: toolKind(tool), value });
  for (const v of identifiers(value)) state.deleted.delete(v);
}

function applyDelete(state: ConversationState, tool: ToolDef, args: Json): void {
  const lists = itemLists(args);
  if (lists.length) {
    for (const [kind, items] of lists) {
      for (const item of items) {
        // An item equal to a record (a relation by its from/to/type) removes that record.
        const same = state.records.findIndex((r) => Object.entries(item).every(([k, v]) => JSON.stringify(r.value[k]) === JSON.stringify(v)));
        if (same >= 0) {
          state.records.splice(same, 1);
          continue;
        }
        // `deletions: [{entityName, observations: [...]}]` removes those observations from the entity.
        const target = referenced(state, item);
        const listed = Object.entries(item).find(([, v]) => Array.isArray(v) && v.every((x) => typeof x === 'string'));
        if (target && listed) {
          const field = Object.keys(target.value).find((k) => Array.isArray(target.value[k]) && (k === listed[0] || singular(k) === singular(listed[0])));
          if (field) target.value[field] = (target.value[field] as unknown[]).filter((x) => !(listed[1] as string[]).includes(x as string));
          continue;
        }
        void kind;
      }
    }
    return;
  }
  // Names or ids given directly (`entityNames: [...]`, `alert_id`): remove what they name.
  const names = new Set(scalarStrings(args));
  const kind = toolKind(tool);
  const gone = state.records.filter((r) => identifiers(r.value).some((id) => names.has(id)));
  for (const r of gone) for (const id of identifiers(r.value)) state.deleted.add(id);
  for (const n of names) if (state.records.some((r) => r.kind === kind) || gone.length) state.deleted.add(n);
  const goneNames = new Set(gone.flatMap((r) => identifiers(r.value)));
  // Records that only point at a removed one (a relation from or to a deleted entity) go too.
  state.records = state.records.filter((r) => !gone.includes(r) && !Object.values(r.value).some((v) => typeof v === 'string' && goneNames.has(v.toLowerCase()) && !identifiers(r.value).length));
}

function applyUpdate(state: ConversationState, args: Json): void {
  const target = referenced(state, args);
  if (!target) return;
  for (const [k, v] of Object.entries(args)) if (!ID_KEY.test(k) || !(k in target.value)) target.value[k] = structuredClone(v);
}

/** Replays the successful calls of `history` (live or simulated) into the conversation's state. */
export function stateFrom(history: Message[] | undefined, tools: ToolDef[]): ConversationState {
  const state: ConversationState = { records: [], deleted: new Set(), seen: new Set() };
  if (!history?.length) return state;
  const byName = new Map(tools.map((t) => [t.name, t]));
  const calls = new Map<string, ToolCall>();
  for (const m of history) {
    if (m.role === 'assistant') for (const c of m.tool_calls ?? []) calls.set(c.id, c);
    if (m.role !== 'tool' || /^error\b/i.test((m.content ?? '').trim())) continue;
    const call = m.tool_call_id ? calls.get(m.tool_call_id) : undefined;
    const tool = call && byName.get(call.name);
    const result = parse(m.content ?? '');
    for (const s of scalarStrings(result ?? [])) state.seen.add(s);
    if (!call || !tool || isReadTool(tool) || !isPlainObject(call.arguments)) continue;
    const args = call.arguments as Json;
    const kind = writeKind(tool);
    if (kind === 'created') applyCreate(state, tool, args, result);
    else if (kind === 'deleted') applyDelete(state, tool, args);
    else applyUpdate(state, args);
  }
  for (const r of state.records) for (const s of scalarStrings(r.value)) state.seen.add(s);
  return state;
}

/** Array properties of an output schema by the kind of their items (`entities` -> entity). */
function outputLists(schema: JsonSchema | undefined): [string, string][] {
  const props = isPlainObject(schema) && isPlainObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
  return Object.entries(props).filter(([, s]) => isPlainObject(s) && s.type === 'array').map(([k]) => [k, singular(k)]);
}

/** The string values of the arguments (any depth), lower case: what a read filters by. */
function stringValues(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => stringValues(x, out));
  else if (isPlainObject(v)) Object.values(v).forEach((x) => stringValues(x, out));
  else if (typeof v === 'string' && v.trim()) out.push(v.toLowerCase());
  return out;
}

/** The kinds of record a read returns: the kinds of its outputSchema's lists, else its topic. */
export function kindsRead(tool: ToolDef): Set<string> {
  const lists = outputLists(tool.outputSchema);
  return new Set(lists.length ? lists.map(([, k]) => k) : [...topicWords(tool)]);
}

/**
 * The records a read call returns from the state, or undefined when the state has nothing of the
 * kinds it reads (then the read is simulated as before). With filter values (`names`, `query`,
 * `alert_id`) only matching records; a filter naming a deleted record finds nothing.
 */
export function recordsFor(state: ConversationState, tool: ToolDef, args: unknown): StateRecord[] | undefined {
  const kinds = kindsRead(tool);
  const pool = state.records.filter((r) => kinds.has(r.kind));
  const filters = stringValues(args);
  const deletedAsked = filters.some((f) => state.deleted.has(f));
  if (!pool.length && !deletedAsked) return undefined;
  if (!filters.length) return pool;
  const matches = pool.filter((r) => {
    const ids = identifiers(r.value);
    const all = scalarStrings(r.value);
    return filters.some((f) => ids.includes(f) || all.some((s) => s.includes(f)));
  });
  if (matches.length || deletedAsked) return matches;
  return undefined;
}
