// Semantic rule checks (SPEC §6): rows that pass the structural rules but teach the wrong thing.
// Each returns reasons as `code: detail` (codes below, counted in the report):
//   ungrounded_answer        a final answer uses none of the new values of its tool results, or states numbers no result (nor the user) gave
//   result_contradicts_call  a simulated result names a different value under the same key as the call's argument
//   dependent_parallel_calls two calls in one turn where one needs the other's result (a value from it, or a write and a read of the same thing)
//   tool_named_in_request    the user names a called tool by its identifier
//   irrelevance_called       an irrelevance row calls a tool
//   error_unrelated          the failing result of an error row mentions nothing of its call
import type { Message, Sample, ToolCall, ToolDef } from '../types';
import { dependentPair, nameWords, topicWords } from './tool-roles';

export const SEMANTIC_CODES = ['ungrounded_answer', 'result_contradicts_call', 'dependent_parallel_calls', 'tool_named_in_request', 'irrelevance_called', 'error_unrelated'] as const;

type Leaf = { key: string; value: string | number };

// The tool results of a row are parsed by several checks; the last few parses are kept (read only).
const parsedMemo = new Map<string, unknown>();

function parse(text: string | null | undefined): unknown {
  if (typeof text !== 'string') return undefined;
  if (parsedMemo.has(text)) return parsedMemo.get(text);
  const v = parseText(text);
  if (parsedMemo.size >= 64) parsedMemo.clear();
  parsedMemo.set(text, v);
  return v;
}

function parseText(text: string): unknown {
  const t = text.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return undefined;
  try {
    return JSON.parse(t);
  } catch {
    return undefined;
  }
}

function leaves(v: unknown, out: Leaf[] = [], key = '', depth = 0): Leaf[] {
  if (depth > 8 || out.length > 500) return out;
  if (Array.isArray(v)) v.forEach((x) => leaves(x, out, key, depth + 1));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v as Record<string, unknown>)) leaves(x, out, k, depth + 1);
  else if (typeof v === 'string' || typeof v === 'number') out.push({ key, value: v });
  return out;
}

/** Array lengths of a JSON value (a count stated in an answer may be one of them). */
function lengths(v: unknown, out: number[] = [], depth = 0): number[] {
  if (depth > 8) return out;
  if (Array.isArray(v)) {
    out.push(v.length);
    v.forEach((x) => lengths(x, out, depth + 1));
  } else if (v && typeof v === 'object') Object.values(v as Record<string, unknown>).forEach((x) => lengths(x, out, depth + 1));
  return out;
}

export const NUMBER = /(?<![\w.])-?\d+(?:\.\d+)?(?![\w])/g;

const DIGIT = /\d/;

/** The numbers in a text (NUMBER's matches; a text without a digit is not scanned). */
export function numbersIn(text: string): number[] {
  const out: number[] = [];
  if (!DIGIT.test(text)) return out;
  NUMBER.lastIndex = 0;
  for (let m = NUMBER.exec(text); m; m = NUMBER.exec(text)) out.push(Number(m[0]));
  return out;
}

function close(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 0.51 || Math.abs(a - b) <= Math.abs(b) * 0.01;
}

function isError(content: string | null | undefined): boolean {
  const text = (content ?? '').trimStart();
  if (/^error\b/i.test(text) || text.startsWith('MCP error')) return true;
  const v = parse(text) as { isError?: unknown } | undefined;
  return !!v && typeof v === 'object' && v.isError === true;
}

const WORDISH = /[a-z]/i;

/** Whether an answer (lower-cased, its numbers found) mentions a value of a tool result. */
function mentionsLower(answerLower: string, value: string | number, answerNumbers: number[]): boolean {
  if (typeof value === 'number') return answerNumbers.some((n) => close(n, value));
  const v = value.trim().toLowerCase();
  if (v.length < 2) return false;
  return answerLower.includes(v.length > 40 ? v.slice(0, 24) : v);
}

/** Segments: each assistant answer that follows tool results, with those results and what was known before them. */
function answeredSegments(messages: Message[]): { answer: string; results: Message[]; calls: ToolCall[]; known: string }[] {
  const out: { answer: string; results: Message[]; calls: ToolCall[]; known: string }[] = [];
  let results: Message[] = [];
  let calls: ToolCall[] = [];
  let known = '';
  for (const m of messages) {
    if (m.role === 'user' || m.role === 'system') {
      known += `\n${m.content ?? ''}`;
      results = [];
      calls = [];
    } else if (m.role === 'assistant' && m.tool_calls?.length) calls.push(...m.tool_calls);
    else if (m.role === 'tool') results.push(m);
    else if (m.role === 'assistant') {
      if (results.length) out.push({ answer: m.content ?? '', results, calls, known });
      known += `\n${m.content ?? ''}`;
      results = [];
      calls = [];
    }
  }
  return out;
}

export function checkGrounding(messages: Message[]): string[] {
  const reasons: string[] = [];
  for (const seg of answeredSegments(messages)) {
    const ok = seg.results.filter((r) => !isError(r.content));
    if (!ok.length || ok.length < seg.results.length) continue; // recovery after a failure: nothing to report
    const argText = seg.calls.map((c) => JSON.stringify(c.arguments ?? {})).join(' ');
    const knownText = `${seg.known}\n${argText}`.toLowerCase();
    const resultValues: (string | number)[] = [];
    const parsedResults: unknown[] = [];
    for (const r of ok) {
      const parsed = parse(r.content);
      if (parsed !== undefined) {
        for (const l of leaves(parsed)) resultValues.push(l.value);
        parsedResults.push(parsed);
      } else {
        for (const w of (r.content ?? '').match(/[A-Za-z][\w.-]{3,}/g) ?? []) resultValues.push(w);
      }
    }
    // The numbers the results hold (array lengths too), found only when an answer needs them.
    let resultNumbersFound: number[] | undefined;
    const resultNumbers = (): number[] => {
      if (resultNumbersFound) return resultNumbersFound;
      const found: number[] = [];
      for (const parsed of parsedResults) found.push(...lengths(parsed));
      for (const r of ok) found.push(...numbersIn(r.content ?? ''));
      return (resultNumbersFound = found);
    };
    // The numbers of the known text and of the answer, found once per segment (not once per value).
    const knownNumbers = numbersIn(knownText);
    const answerNumbers = numbersIn(seg.answer);
    const answerLower = seg.answer.toLowerCase();
    const isFresh = (v: string | number) => (typeof v === 'number' ? !knownNumbers.some((n) => close(n, v)) : v.trim().length >= 2 && WORDISH.test(v) && !knownText.includes(v.trim().toLowerCase()));
    // Is any value fresh (new to the conversation), and is any fresh value mentioned by the answer?
    // Freshness is looked up only where it decides something: each value once, a mentioned one always,
    // the others until one fresh value is found.
    let anyFresh = false;
    let freshMentioned = false;
    const seen = new Set<string | number>();
    for (const v of resultValues) {
      if (seen.has(v)) continue;
      seen.add(v);
      const mentioned = mentionsLower(answerLower, v, answerNumbers);
      if (!mentioned && anyFresh) continue;
      if (!isFresh(v)) continue;
      anyFresh = true;
      if (mentioned) {
        freshMentioned = true;
        break;
      }
    }
    if (anyFresh && !freshMentioned && !resultNumbers().some((n) => answerNumbers.some((a) => close(a, n)) && !knownNumbers.includes(n))) {
      const fresh = resultValues.filter(isFresh);
      reasons.push(`ungrounded_answer: the answer uses none of the values its tool results add (${fresh.slice(0, 3).map(String).join(', ')})`);
      continue;
    }
    const invented = answerNumbers.filter((n) => !knownNumbers.some((a) => close(a, n)) && !resultNumbers().some((a) => close(a, n)));
    if (invented.length) reasons.push(`ungrounded_answer: the answer states ${invented.slice(0, 3).join(', ')}, which no tool result or user turn contains`);
  }
  return reasons;
}

const VOLATILE_KEY = /cursor|token|next|page|offset|count|total|time|updated|created|^at$/i;

function norm(v: string | number): string {
  return String(v).trim().toLowerCase();
}

export function checkResultsMatchCalls(sample: Sample): string[] {
  const reasons: string[] = [];
  const execution = (sample.meta?.execution ?? {}) as Record<string, string>;
  const calls = new Map<string, ToolCall>();
  for (const m of sample.messages) for (const c of m.tool_calls ?? []) calls.set(c.id, c);
  for (const m of sample.messages) {
    if (m.role !== 'tool' || !m.tool_call_id || isError(m.content)) continue;
    const call = calls.get(m.tool_call_id);
    if (!call || execution[call.id] === 'live') continue;
    const result = parse(m.content);
    if (result === undefined) continue;
    const args = new Map<string, Set<string>>();
    for (const l of leaves(call.arguments)) if (l.key && !VOLATILE_KEY.test(l.key)) args.set(l.key, (args.get(l.key) ?? new Set()).add(norm(l.value)));
    const got = new Map<string, string[]>();
    for (const l of leaves(result)) if (args.has(l.key)) got.set(l.key, [...(got.get(l.key) ?? []), norm(l.value)]);
    for (const [key, values] of got) {
      const wanted = [...args.get(key)!];
      const match = values.some((v) => wanted.some((w) => v === w || (w.length >= 3 && v.includes(w)) || (v.length >= 3 && w.includes(v))));
      if (!match) {
        reasons.push(`result_contradicts_call: ${call.name} was called with ${key} ${JSON.stringify(wanted[0])} but its result has ${JSON.stringify(values[0])}`);
        break;
      }
    }
  }
  return reasons;
}

export function checkParallelIndependence(messages: Message[], tools: Map<string, ToolDef>): string[] {
  const reasons: string[] = [];
  let before = '';
  for (let k = 0; k < messages.length; k++) {
    const m = messages[k];
    const calls = m.role === 'assistant' ? m.tool_calls ?? [] : [];
    if (calls.length >= 2) {
      const results = new Map<string, string>();
      for (let j = k + 1; j < messages.length && messages[j].role === 'tool'; j++) results.set(messages[j].tool_call_id ?? '', (messages[j].content ?? '').toLowerCase());
      const earlier = before.toLowerCase();
      let found = '';
      for (const a of calls) {
        for (const b of calls) {
          if (a === b || found) continue;
          const ta = tools.get(a.name);
          const tb = tools.get(b.name);
          if (ta && tb && dependentPair(ta, tb) && !(a.name === b.name)) found = `${a.name} and ${b.name} write and read the same ${[...topicWords(ta)].filter((w) => topicWords(tb).has(w)).join(' ')}`;
          const fromB = results.get(b.id) ?? '';
          const used = leaves(a.arguments).find((l) => typeof l.value === 'string' && l.value.length >= 3 && fromB.includes(l.value.toLowerCase()) && !earlier.includes(l.value.toLowerCase()));
          if (!found && used) found = `${a.name} uses ${JSON.stringify(used.value)} from the result of ${b.name} in the same turn`;
        }
      }
      if (found) reasons.push(`dependent_parallel_calls: ${found}`);
    }
    before += `\n${m.content ?? ''}`;
  }
  return reasons;
}

/**
 * Identifier forms of a tool name that a person would not type (the raw name with separators, or 3+
 * of its words in a row), each with its whole-word pattern; computed once per name.
 */
const formsByName = new Map<string, { form: string; re: RegExp }[]>();

function namedForms(name: string): { form: string; re: RegExp }[] {
  let forms = formsByName.get(name);
  if (!forms) {
    const raw: string[] = [];
    if (/[_\-.]|[a-z][A-Z]/.test(name)) raw.push(name.toLowerCase());
    const words = nameWords(name);
    if (words.length >= 3) raw.push(words.join(' '));
    forms = raw.map((form) => ({ form, re: new RegExp(`(^|[^a-z0-9_])${form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9_])`) }));
    if (formsByName.size > 1000) formsByName.clear();
    formsByName.set(name, forms);
  }
  return forms;
}

export function checkToolNamed(sample: Sample, tools: Map<string, ToolDef>): string[] {
  const userText = sample.messages.filter((m) => m.role === 'user').map((m) => ` ${m.content ?? ''} `).join('\n').toLowerCase();
  const called = new Set(sample.messages.flatMap((m) => (m.tool_calls ?? []).map((c) => c.name)));
  for (const name of called) {
    const t = tools.get(name);
    for (const n of new Set([name, t?.serverToolName ?? name])) {
      for (const { form, re } of namedForms(n)) {
        if (re.test(userText)) return [`tool_named_in_request: the user names the tool "${form}"`];
      }
    }
  }
  return [];
}

export function checkErrorRelated(sample: Sample, tools: Map<string, ToolDef>): string[] {
  if (sample.scenario !== 'error') return [];
  const calls = new Map<string, ToolCall>();
  for (const m of sample.messages) for (const c of m.tool_calls ?? []) calls.set(c.id, c);
  const failing = sample.messages.find((m) => m.role === 'tool' && isError(m.content));
  if (!failing) return [];
  const call = calls.get(failing.tool_call_id ?? '');
  if (!call) return [];
  const text = (failing.content ?? '').toLowerCase();
  const tool = tools.get(call.name);
  const clues: string[] = [call.name, tool?.serverToolName ?? ''];
  for (const l of leaves(call.arguments)) {
    if (typeof l.value === 'string' && l.value.trim().length >= 2) clues.push(l.value);
    if (typeof l.value === 'number') clues.push(String(l.value));
    if (l.key) clues.push(l.key, nameWords(l.key).join(' '));
  }
  if (call.arguments && typeof call.arguments === 'object') for (const k of Object.keys(call.arguments)) clues.push(k, nameWords(k).join(' '));
  if (tool) for (const w of topicWords(tool)) clues.push(w);
  const related = clues.some((c) => c && c.length >= 2 && text.includes(c.toLowerCase()));
  return related ? [] : [`error_unrelated: the failure of ${call.name} mentions none of its arguments or what it is about (${(failing.content ?? '').slice(0, 80)})`];
}

/** Every semantic check of one row. */
export function checkSemantics(sample: Sample, tools: Map<string, ToolDef>): string[] {
  const messages = sample.messages ?? [];
  const reasons: string[] = [];
  if (sample.scenario === 'irrelevance') {
    const called = [...new Set(messages.flatMap((m) => (m.tool_calls ?? []).map((c) => c.name)))];
    if (called.length) reasons.push(`irrelevance_called: an irrelevance row calls ${called.join(', ')}`);
  }
  reasons.push(...checkToolNamed(sample, tools));
  reasons.push(...checkParallelIndependence(messages, tools));
  reasons.push(...checkResultsMatchCalls(sample));
  reasons.push(...checkErrorRelated(sample, tools));
  reasons.push(...checkGrounding(messages));
  return reasons;
}
