// What a tool is for, read from its name and annotations: whether it only reads, what it is about
// (its topic nouns), and so whether two tools could answer the same request or depend on each other.
// The plan uses these to pick distractors and independent parallel calls; QC uses them to catch
// dependent calls in one parallel turn.
import type { ToolDef } from '../types';

const READ_VERBS = new Set(['get', 'list', 'search', 'find', 'read', 'fetch', 'show', 'check', 'query', 'lookup', 'describe', 'view', 'count', 'compare', 'browse', 'inspect', 'download', 'export', 'retrieve', 'directory']);
const VERBS = new Set([...READ_VERBS, 'set', 'create', 'delete', 'update', 'write', 'add', 'remove', 'run', 'open', 'move', 'edit', 'echo', 'send', 'start', 'stop', 'print', 'trigger', 'toggle', 'sample', 'annotate', 'simulate', 'upload', 'post', 'put', 'patch', 'merge', 'close', 'cancel', 'assign', 'rename', 'insert', 'replace', 'publish', 'schedule', 'execute', 'invoke', 'apply', 'push', 'reply', 'mark', 'save', 'store', 'register', 'subscribe', 'enable', 'disable', 'install', 'deploy', 'reset', 'clear', 'archive', 'restore']);
/** Words too common to say what a tool is about. */
const GENERIC = new Set(['the', 'a', 'an', 'of', 'by', 'for', 'to', 'in', 'on', 'at', 'with', 'and', 'or', 'from', 'all', 'new', 'multiple', 'info', 'information', 'data', 'details', 'item', 'items', 'current', 'tool', 'api', 'v1', 'v2']);

/** `get_current_weather` / `getCurrentWeather` / `get-forecast` -> lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[_\-\s.:/]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

export function isVerb(word: string): boolean {
  return VERBS.has(word);
}

/** A tool that only reads: `readOnlyHint`, else a reading verb in its name. */
export function isReadTool(tool: ToolDef): boolean {
  const hint = tool.annotations?.readOnlyHint;
  if (hint === true) return true;
  if (hint === false) return false;
  const words = nameWords(tool.serverToolName || tool.name);
  const verb = words.find((w) => VERBS.has(w));
  return verb ? READ_VERBS.has(verb) : false;
}

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** The nouns a tool is about (`set_weather_alert` -> weather, alert), stemmed. */
export function topicWords(tool: ToolDef): Set<string> {
  const words = nameWords(tool.serverToolName || tool.name).filter((w) => !VERBS.has(w) && !GENERIC.has(w) && w.length > 1);
  return new Set(words.map(stem));
}

function overlap(a: Set<string>, b: Set<string>): boolean {
  for (const w of a) if (b.has(w)) return true;
  return false;
}

/** Whether `other` could serve a request meant for `tool` (the same tool, or the same subject). */
export function couldAnswer(tool: ToolDef, other: ToolDef): boolean {
  if (tool.name === other.name) return true;
  return overlap(topicWords(tool), topicWords(other));
}

/** Two calls in one turn depend on each other when one writes what the other (about the same subject) reads or writes. */
export function dependentPair(a: ToolDef, b: ToolDef): boolean {
  if (a.name === b.name) return false;
  if (isReadTool(a) && isReadTool(b)) return false;
  return overlap(topicWords(a), topicWords(b));
}
