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
/** Verbs a description may start with ("Get the current weather ...", "Returns the list ..."). */
const DESCRIPTION_VERBS = new Set([...VERBS, 'make', 'rank', 'retrieve', 'return', 'calculate', 'convert', 'generate', 'translate', 'summarize', 'analyze', 'book', 'order', 'transfer', 'play', 'render', 'validate', 'compute', 'estimate', 'provide', 'navigate', 'upload', 'download', 'capture', 'evaluate', 'look', 'post', 'publish', 'schedule', 'assign', 'rename', 'insert', 'replace', 'merge', 'close', 'cancel', 'count', 'view', 'browse', 'describe', 'export', 'import', 'save', 'store', 'mark', 'reply', 'invite', 'resolve', 'apply', 'track', 'monitor', 'scan', 'test', 'build', 'deploy', 'install', 'archive', 'restore', 'clear', 'reset', 'fill', 'select', 'click', 'type', 'scroll', 'take', 'ping']);
/** Where a description's first clause stops being about what the user wants. */
const CLAUSE_CUT = /\s+(?:for a|for an|for the next|in a specified|by their|based on|that|which|as a|as json|using|via|with|if|when|from the mcp)\b.*$/i;

function verbOf(word: string): string | undefined {
  const w = word.toLowerCase();
  if (DESCRIPTION_VERBS.has(w)) return w;
  if (w.endsWith('es') && DESCRIPTION_VERBS.has(w.slice(0, -2))) return w.slice(0, -2);
  if (w.endsWith('s') && DESCRIPTION_VERBS.has(w.slice(0, -1))) return w.slice(0, -1);
  return undefined;
}

/** The action in the description's own words ("get the current weather"), when its first clause starts with a verb. */
function descriptionAction(tool: ToolDef): string | undefined {
  const first = (tool.description ?? '').split(/(?<=[.!?])\s|\n|;|:/)[0].replace(/\([^)]*\)/g, '').replace(/[.!?,]+$/, '').replace(/\s+/g, ' ').trim();
  const words = first.split(' ');
  const verb = words.length >= 2 ? verbOf(words[0]) : undefined;
  if (!verb) return undefined;
  let phrase = [verb, ...words.slice(1)].join(' ').replace(/,.*$/, '').replace(CLAUSE_CUT, '').trim();
  if (/[`<>{}[\]|]|https?:/.test(phrase)) return undefined;
  const n = phrase.split(' ');
  if (n.length < 2) return undefined;
  // Long first clauses are cut at 11 words, never leaving a dangling "from the" or "in the".
  if (n.length > 11) phrase = n.slice(0, 11).join(' ').replace(/(\s+(?:the|a|an|of|from|to|in|into|on|for|with|and|or|by|at|its|their|your))+$/i, '');
  return phrase.replace(/^(\w+)\s+(?:a|an)\s+/i, '$1 a ').replace(/\b([A-Z][a-z]+)\b/g, (m, w: string, at: number) => (at === 0 ? m : w.toLowerCase()));
}

/**
 * An action phrase for a tool, in the domain's words rather than the tool's name: the description's
 * first clause when it starts with a verb ("get the current weather"), else the name's words
 * rearranged so the identifier never appears verbatim ("add reaction in slack", "get the file info").
 */
export function actionPhrase(tool: ToolDef): string {
  const fromDescription = descriptionAction(tool);
  if (fromDescription) return fromDescription;
  const words = nameWords(tool.serverToolName || tool.name);
  if (words.length === 0) return 'use this tool';
  const at = words.findIndex((w) => VERBS.has(w));
  if (at < 0) return `work with the ${words.join(' ')}`;
  const verb = words[at];
  const object = words.slice(at + 1).join(' ');
  const where = words.slice(0, at).join(' ');
  if (!object) return where ? `${verb} in ${where}` : verb;
  const the = verb === 'get' || verb === 'read' || verb === 'list' || verb === 'set' || words.length >= 3 ? 'the ' : '';
  return `${verb} ${the}${object}${where ? ` in ${where}` : ''}`;
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
export function resultFacts(content: string, max = 4, known?: (value: string) => boolean): string {
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
  if (known) {
    // Facts the user did not already say first, so the answer reports what the result adds.
    const all: string[] = [];
    const limit = max;
    max = 40;
    visit(parsed, '');
    all.push(...facts);
    const fresh = all.filter((f) => !known(f));
    return [...fresh, ...all.filter((f) => known(f))].slice(0, limit).join(', ');
  }
  visit(parsed, '');
  return facts.join(', ');
}

export function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
