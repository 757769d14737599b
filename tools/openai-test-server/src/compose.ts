// Composes the free text a model would write for a brief (see brief.ts): a user's request with the
// values it was told to mention, a follow-up answer, a clarifying question, an apology after a failed
// call, a final answer grounded in the tool results, a direct answer, a rewrite of a message, or a
// simulated tool result. Deterministic for the rng it is given (seeded by the request).
import { field, isFailure, type Brief, type TargetValues, type Turn } from './brief';
import * as P from './phrases';
import { actionPhrase, capitalize, describeAll, humanKey, resultFacts, topicPhrase } from './prose';
import type { Rng } from './rng';
import { readJsonAt } from './json-scan';

export type TurnKind = 'request' | 'followup' | 'clarify' | 'recover' | 'final' | 'direct' | 'rewrite' | 'tool_result' | 'tool_error';

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = vars[k[0].toLowerCase() + k.slice(1)] ?? '';
    return k[0] === k[0].toUpperCase() ? capitalize(v) : v;
  });
}

function lastUserIndex(turns: Turn[]): number {
  for (let i = turns.length - 1; i >= 0; i--) if (turns[i].role === 'user') return i;
  return -1;
}

/** The message a rewrite request asks to reword. */
function messageToRewrite(brief: Brief): string | undefined {
  return field(brief, /^(message|text|original|input|sentence|request)$/);
}

/** What kind of turn the request asks for; `key` is the output field the text goes into. */
export function turnKind(brief: Brief, key: string): TurnKind {
  const k = key.toLowerCase();
  const args = brief.targets[0]?.values.length || field(brief, /argument/);
  if (/error|failure/.test(k)) return 'tool_error';
  if ((k === 'result' || k === 'output') && args) return /fail|error/i.test(brief.directive) ? 'tool_error' : 'tool_result';
  const all = `${brief.directive}\n${brief.system}`;
  if (messageToRewrite(brief) && /\b(rewrite|paraphrase|reword|rephrase)|different words/i.test(all)) return 'rewrite';
  const writer = /\b(?:re)?write\b[^.\n]*?\b(user|assistant)/i.exec(brief.directive) ?? /\b(?:re)?write\b[^.\n]*?\b(user|assistant)/i.exec(brief.system);
  const d = brief.directive;
  const turns = brief.turns;
  if (writer?.[1].toLowerCase() === 'user') {
    const last = turns[turns.length - 1];
    // Told to answer the assistant's question; without a specific instruction, when the last turn asks one.
    const asked = last?.role === 'assistant' && !last.calls && last.text.trim().endsWith('?');
    const answersQuestion = /\banswer\b[^.\n]*\bquestion/i.test(d) || (d === brief.system && asked);
    return answersQuestion && turns.length ? 'followup' : 'request';
  }
  if (/\bask\b|clarif/i.test(d)) return 'clarify';
  if (/\bfail(ed|s|ure)?\b|\berror\b/i.test(d)) return 'recover';
  if (/no tool is needed|directly|general knowledge|without (using )?any tool/i.test(d)) return 'direct';
  const since = turns.slice(lastUserIndex(turns) + 1);
  if (since.some((t) => t.role === 'tool')) return since.some((t) => t.role === 'tool' && isFailure(t.text)) ? 'recover' : 'final';
  return 'direct';
}

function toolName(brief: Brief, t?: TargetValues): string {
  return t?.tool ?? brief.tools[0]?.name ?? 'request';
}

function styleOf(brief: Brief): string {
  const style = field(brief, /^style$/)?.toLowerCase().trim() ?? '';
  return style in P.REQUESTS ? style : 'polite';
}

function reason(rng: Rng): string {
  return fill(rng.pick(P.REASONS), { purpose: rng.pick(P.PURPOSES) });
}

function endSentence(s: string): string {
  return /[.?!]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`;
}

function request(brief: Brief, rng: Rng): string {
  const style = styleOf(brief);
  const persona = field(brief, /^persona$/);
  const history = brief.turns.length > 0;
  const targets = brief.targets;
  if (!targets.length) {
    // Nothing to mention: a general question about the subject, answered without a tool.
    const topic = topicPhrase(toolName(brief));
    const q = fill(rng.pick(P.GENERAL_QUESTIONS), { topic });
    const intro = persona ? fill(rng.pick(P.PERSONA_INTROS), { persona }) : '';
    return `${intro}${intro ? q[0].toLowerCase() + q.slice(1) : q}${rng.chance(0.6) ? ` ${reason(rng)}` : ''}`;
  }
  const parts = targets.map((t) => {
    const values = describeAll(t.values.filter(([k]) => k !== brief.leaveOut), rng);
    const bank = values ? P.REQUESTS : P.BARE_REQUESTS;
    return endSentence(fill(rng.pick(bank[style]), { action: actionPhrase(toolName(brief, t), rng), values }));
  });
  let text = parts[0];
  for (const p of parts.slice(1)) text += ` ${rng.pick(P.NEXT_REQUEST_JOINERS)}${p[0].toLowerCase()}${p.slice(1)}`;
  if (history) text = `${rng.pick(P.CONTINUATIONS)}${text[0].toLowerCase()}${text.slice(1)}`;
  else if (persona && rng.chance(0.35)) text = `${fill(rng.pick(P.PERSONA_INTROS), { persona })}${text[0].toLowerCase()}${text.slice(1)}`;
  const bare = parts.length === 1 && !targets[0].values.some(([k, v]) => k !== brief.leaveOut && v !== null && v !== undefined);
  if (bare || rng.chance(0.5)) text = `${endSentence(text)} ${reason(rng)}`;
  return `${text}${rng.pick(P.THANKS)}`.trim();
}

function followup(brief: Brief, rng: Rng): string {
  const values = describeAll(brief.targets[0]?.values ?? [], rng);
  return values ? fill(rng.pick(P.FOLLOWUPS), { values }) : 'Whatever you think is best.';
}

/** The first required value the user's last message does not give (what to ask for). */
function missingValue(brief: Brief): string {
  const tool = brief.tools.find((t) => t.name === brief.targets[0]?.tool) ?? brief.tools[0];
  const schema = (tool?.schema ?? {}) as { required?: unknown; properties?: Record<string, unknown> };
  const required = Array.isArray(schema.required) ? schema.required.filter((k): k is string => typeof k === 'string') : [];
  const keys = required.length ? required : Object.keys(schema.properties ?? {});
  const said = (brief.turns[lastUserIndex(brief.turns)]?.text ?? '').toLowerCase();
  const missing = keys.find((k) => !said.includes(humanKey(k))) ?? keys[0];
  return missing ? humanKey(missing) : 'details you have in mind';
}

function clarify(brief: Brief, rng: Rng): string {
  const missing = missingValue(brief);
  const text = fill(rng.pick(P.CLARIFY), { action: actionPhrase(toolName(brief), rng, 'assistant'), missing: `the ${missing}`, missingBare: missing });
  return text.endsWith('?') ? text : `${text}?`;
}

function lastCall(turns: Turn[]): { name: string; args: unknown } | undefined {
  for (let i = turns.length - 1; i >= 0; i--) if (turns[i].calls?.length) return turns[i].calls![0];
  return undefined;
}

function recover(brief: Brief, rng: Rng): string {
  const failed = [...brief.turns].reverse().find((t) => t.role === 'tool' && isFailure(t.text));
  const error = (failed?.text ?? 'the tool reported an error').replace(/^\s*error:\s*/i, '').replace(/\s+/g, ' ').trim().slice(0, 200);
  const call = lastCall(brief.turns);
  const args = call?.args && typeof call.args === 'object' ? Object.entries(call.args as Record<string, unknown>) : [];
  const keyed = args.find(([, v]) => typeof v === 'string');
  const apology = fill(rng.pick(P.APOLOGIES), { action: actionPhrase(call?.name ?? toolName(brief), rng, 'assistant') });
  const next = keyed ? fill(rng.pick(P.NEXT_STEPS), { key: humanKey(keyed[0]) }) : rng.pick(P.GENERIC_NEXT_STEPS);
  return `${apology}${keyed ? ` for ${describeAll([keyed], rng)}` : ''}: ${endSentence(error)} ${next}`;
}

function final(brief: Brief, rng: Rng): string {
  const results = brief.turns.slice(lastUserIndex(brief.turns) + 1).filter((t) => t.role === 'tool');
  const facts = results.map((t) => resultFacts(t.text).replace(/[.!\s]+$/, '')).filter(Boolean).join('; ') || 'the request went through';
  return `${fill(rng.pick(P.FINAL_LEADS), { facts })}${rng.pick(P.FINAL_CLOSERS)}`;
}

function direct(brief: Brief, rng: Rng): string {
  return fill(rng.pick(P.DIRECT_ANSWERS), { topic: topicPhrase(toolName(brief)) });
}

/** Rewords a message: synonyms outside quotes, another opener, a reason, thanks. Values stay as they are. */
const FRAMING = [...P.REASONS.map((r) => r.replace('{purpose}', '@')), ...P.THANKS.filter(Boolean).map((t) => t.trim())]
  .sort((a, b) => b.length - a.length)
  .map(
  (r) => new RegExp(`\\s*${r.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('@', '[^.!?"]+?')}(?=\\s|$)`, 'gi'),
);

function rewrite(brief: Brief, rng: Rng): string {
  let original = (messageToRewrite(brief) ?? '').trim();
  // Reasons and thanks are framing, not content: they are replaced, not stacked.
  const stripped = FRAMING.reduce((text, re) => text.replace(re, ''), original).trim();
  if (stripped.length > 10) original = stripped;
  const segments = original.split(/("[^"]*"|“[^”]*”|`[^`]*`)/);
  const reworded = segments
    .map((seg, i) => {
      if (i % 2 === 1) return seg;
      let out = seg;
      for (const [from, tos] of P.SYNONYMS) if (from.test(out) && rng.chance(0.7)) out = out.replace(from, (m) => (m[0] === m[0].toUpperCase() ? capitalize(rng.pick(tos)) : rng.pick(tos)));
      return out;
    })
    .join('');
  const body = endSentence(`${rng.pick(P.REWRITE_OPENERS)}${reworded[0]?.toLowerCase() ?? ''}${reworded.slice(1)}`);
  const why = reason(rng);
  return `${rng.chance(0.5) ? `${body} ${why}` : `${why} ${body}`}${rng.pick(P.THANKS)}`;
}

function argsOf(brief: Brief): [string, unknown][] {
  return brief.targets[0]?.values ?? [];
}

type Json = Record<string, unknown>;

/** Earlier calls a simulate request lists (`- tool({...}) returned: {...}`): the conversation's state. */
export function earlierCalls(brief: Brief): { tool: string; args: Json; result?: Json }[] {
  const text = field(brief, /^earlier/) ?? '';
  const out: { tool: string; args: Json; result?: Json }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*-\s*([A-Za-z_][\w.-]*)\(/.exec(line);
    if (!m) continue;
    const args = readJsonAt(line, m[0].length);
    const rest = args ? /^\)\s*returned:\s*(.*)$/.exec(line.slice(args.end)) : null;
    const result = rest ? readJsonAt(rest[1].trim(), 0)?.value : undefined;
    const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
    out.push({ tool: m[1], args: obj(args?.value) ?? {}, result: obj(result) });
  }
  return out;
}

const isIdKey = (k: string) => /(^|_)id$|Id$/.test(k);

/**
 * What the conversation already knows about the item this call names (one of its id arguments is an
 * id an earlier call took or returned): the values earlier calls gave it, later ones first, and
 * whether an earlier call deleted it.
 */
function knownItem(brief: Brief, args: Json): { values: Json; deleted: boolean } | undefined {
  const ids = new Set(Object.entries(args).filter(([k, v]) => isIdKey(k) && (typeof v === 'string' || typeof v === 'number')).map(([, v]) => String(v)));
  if (!ids.size) return undefined;
  let values: Json | undefined;
  let deleted = false;
  for (const call of earlierCalls(brief)) {
    const both = { ...call.args, ...(call.result ?? {}) };
    if (!Object.entries(both).some(([k, v]) => isIdKey(k) && ids.has(String(v)))) continue;
    const { status: _status, ...rest } = both;
    values = { ...(values ?? {}), ...rest };
    deleted = /^(delete|remove)/i.test(call.tool);
  }
  return values ? { values, deleted } : undefined;
}

function toolResult(brief: Brief, rng: Rng): string {
  const name = toolName(brief, brief.targets[0]);
  const args = Object.fromEntries(argsOf(brief));
  const creates = /^(create|add|send|post|write|put|start|make|new|insert|register|book|open)/i.test(name);
  const changes = /^(set|update|edit|change|modify|rename|patch|assign|stop|cancel|close)/i.test(name);
  const deletes = /^(delete|remove|destroy|drop|archive)/i.test(name);
  const topicKey = topicPhrase(name).replace(/\s+/g, '_') || 'result';
  // A model told how ids look on this server ("Id format: ... {"id": "EVT20341"}") makes ids like that.
  const example = /"id"\s*:\s*"([^"]+)"/.exec(field(brief, /^id format$/) ?? '')?.[1];
  // A model shown the earlier calls stays consistent with them: the item they created or changed.
  const known = knownItem(brief, args);
  let body: Json;
  if (creates) body = { status: 'created', id: example ?? `${topicKey}_${rng.base62(8)}`, ...args };
  else if (deletes) body = { status: 'deleted', ...args };
  else if (changes) body = { status: 'updated', ...(known?.values ?? {}), ...args };
  else if (known && !known.deleted) body = { ...known.values, ...args, status: 'ok' };
  else body = { ...args, status: 'ok', [topicKey]: rng.pick(['available', 'up to date', 'confirmed', 'ready']), updated_at: `2025-0${rng.int(1, 9)}-1${rng.int(0, 9)}T0${rng.int(0, 9)}:00:00Z` };
  return JSON.stringify(body);
}

function toolError(brief: Brief, rng: Rng): string {
  const name = toolName(brief, brief.targets[0]);
  const keyed = argsOf(brief).find(([, v]) => typeof v === 'string' || typeof v === 'number');
  const topic = topicPhrase(name);
  if (!keyed) return fill(rng.pick(P.GENERIC_ERRORS), { topic });
  return fill(rng.pick(P.ERRORS), { key: humanKey(keyed[0]), value: JSON.stringify(keyed[1]), topic, action: actionPhrase(name, rng, 'assistant') });
}

export function composeTurn(brief: Brief, kind: TurnKind, rng: Rng): string {
  switch (kind) {
    case 'request': return request(brief, rng);
    case 'followup': return followup(brief, rng);
    case 'clarify': return clarify(brief, rng);
    case 'recover': return recover(brief, rng);
    case 'final': return final(brief, rng);
    case 'rewrite': return rewrite(brief, rng);
    case 'tool_result': return toolResult(brief, rng);
    case 'tool_error': return toolError(brief, rng);
    default: return direct(brief, rng);
  }
}
