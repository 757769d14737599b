// Small text helpers for the offline provider: turning tool names and argument values into words.
import type { JsonSchema, ToolDef } from '../../types';

/** `get_current_weather` / `getCurrentWeather` / `get-forecast` -> words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[_\-\s.]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

const VERBS = new Set(['get', 'list', 'set', 'create', 'delete', 'update', 'search', 'find', 'read', 'write', 'add', 'remove', 'compare', 'fetch', 'run', 'open', 'move', 'edit', 'echo', 'show', 'check', 'send', 'start', 'stop', 'print', 'trigger', 'toggle', 'sample', 'annotate', 'simulate', 'query', 'directory', 'lookup']);

/** An action phrase for a tool: "get the current weather", "search cities". */
export function actionPhrase(tool: ToolDef): string {
  const words = nameWords(tool.serverToolName || tool.name);
  if (words.length === 0) return 'use this tool';
  if (VERBS.has(words[0])) {
    const rest = words.slice(1).join(' ');
    if (!rest) return words[0];
    return words[0] === 'get' || words[0] === 'read' || words[0] === 'list' || words[0] === 'set' ? `${words[0]} the ${rest}` : `${words[0]} ${rest}`;
  }
  return `use ${words.join(' ')}`;
}

/** The topic of a tool: its name without the leading verb ("current weather", "alerts"). */
export function topicPhrase(tool: ToolDef): string {
  const words = nameWords(tool.serverToolName || tool.name);
  const rest = VERBS.has(words[0]) ? words.slice(1) : words;
  return rest.join(' ') || words.join(' ');
}

export function humanKey(key: string): string {
  return nameWords(key).join(' ');
}

/** A value in words: lists joined with "and", objects as "key value" pairs. */
export function renderValue(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) {
    if (v.length === 0) return 'nothing';
    const parts = v.map(renderValue);
    return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return 'defaults';
    return entries.map(([k, x]) => `${humanKey(k)} ${renderValue(x)}`).join(', ');
  }
  return String(v);
}

/** "city Paris, days 3 and units fahrenheit" for an argument object. */
export function renderArgs(args: unknown): string {
  if (!args || typeof args !== 'object' || Array.isArray(args)) return renderValue(args);
  const entries = Object.entries(args as Record<string, unknown>).filter(([, v]) => v !== undefined);
  const parts = entries.map(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? `${humanKey(k)} (${renderValue(v)})` : `${humanKey(k)} ${renderValue(v)}`));
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

export function requiredProps(schema: JsonSchema): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const req = (schema as { required?: unknown }).required;
  return Array.isArray(req) ? req.filter((r): r is string => typeof r === 'string') : [];
}

export function propertyNames(schema: JsonSchema): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const props = (schema as { properties?: Record<string, unknown> }).properties;
  return props ? Object.keys(props) : [];
}

/** Scalar facts of a tool result ("temperature 18.5, conditions cloudy"), for grounded answers. */
export function resultFacts(content: string, max = 4): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    const text = content.replace(/\s+/g, ' ').trim();
    return text.length > 240 ? `${text.slice(0, 237)}...` : text;
  }
  const facts: string[] = [];
  const visit = (v: unknown, prefix: string) => {
    if (facts.length >= max) return;
    if (Array.isArray(v)) {
      if (v.length && typeof v[0] !== 'object') facts.push(`${prefix || 'items'} ${renderValue(v.slice(0, 5))}`);
      else if (v.length) {
        facts.push(`${v.length} ${prefix || 'entries'}`);
        visit(v[0], '');
      } else facts.push(`no ${prefix || 'entries'}`);
      return;
    }
    if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (facts.length >= max) break;
        if (x && typeof x === 'object') visit(x, humanKey(k));
        else facts.push(`${humanKey(k)} ${renderValue(x)}`);
      }
      return;
    }
    facts.push(prefix ? `${prefix} ${renderValue(v)}` : renderValue(v));
  };
  visit(parsed, '');
  return facts.join(', ');
}

export function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
