// Answers evaluation requests from a truth file (mcp-forge's eval.truth.jsonl): a request whose
// conversation is the prefix of a truth row's scored turn gets that turn's expected answer, so a test
// knows exactly what a model "said". A share of the turns, per model, is broken in a known way and
// recorded (GET /_eval), so a test can compute the scores it must see:
//   wrong_function (another offered function, or an unknown name), missing_param (a required one),
//   wrong_value (the first parameter's value changed), extra_param (a parameter the function lacks),
//   call_on_irrelevance (a call where none is expected).
// `text` models answer with `<tool_call>` blocks in the content instead of native tool_calls, as a
// model served without a tool parser does.
import type { ChatMessage } from './chat-messages';
import { messageText } from './chat-messages';
import { promptText, type ChatCompletion } from './chat-completion';
import type { ChatRequest } from './chat-request';
import { estimateTokens } from './prompt-cache';
import { canonicalJson, hash32, Rng } from './rng';

interface TruthMessage {
  role: string;
  content: string | null;
  tool_calls?: { name: string; arguments: unknown }[];
}
interface TruthTurn {
  at: number;
  calls: Record<string, Record<string, unknown[]>>[];
  expect: string;
}
interface TruthRow {
  id: string;
  category: string;
  functions: { name: string; parameters: Record<string, unknown> }[];
  messages: TruthMessage[];
  turns: TruthTurn[];
}

export interface EvalOracleConfig {
  /** The truth rows (one JSON object per line of eval.truth.jsonl). */
  rows: TruthRow[];
  /** Share of scored turns to break, per model name (`*` for any other model). Default none. */
  broken?: Record<string, number>;
  /** Models that answer with `<tool_call>` blocks in text. */
  textModels?: string[];
  seed?: number;
}

export type BreakKind = 'wrong_function' | 'missing_param' | 'wrong_value' | 'extra_param' | 'call_on_irrelevance';

export interface BrokenTurn {
  model: string;
  id: string;
  category: string;
  at: number;
  kind: BreakKind;
}

export interface OracleReply {
  content: string | null;
  toolCalls: { name: string; arguments: string }[];
}

interface Entry {
  row: TruthRow;
  turn: TruthTurn;
}

/** The conversation as both sides see it: roles, texts, and calls by name and parsed arguments. */
function keyOf(messages: { role: string; text: string; calls: [string, unknown][] }[]): string {
  return canonicalJson(messages.map((m) => [m.role, m.text.trim(), m.calls]));
}

function parseArgs(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The first acceptable value of each parameter (omitted when the first alternative is ""). */
function firstArgs(params: Record<string, unknown[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [p, alts] of Object.entries(params)) {
    const first = alts[0];
    if (first === '') continue;
    out[p] = isDictAnswer(first) ? firstArgs(first as Record<string, unknown[]>) : Array.isArray(first) && first.every(isDictAnswer) && first.length > 0 ? first.map((d) => firstArgs(d as Record<string, unknown[]>)) : first;
  }
  return out;
}

const isDictAnswer = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every(Array.isArray);

function changed(v: unknown): unknown {
  if (typeof v === 'string') return `${v} (changed)`;
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'boolean') return !v;
  if (Array.isArray(v)) return [...v, v.length ? v[0] : 'extra'];
  if (v && typeof v === 'object') return { ...v, unexpected_key: 'extra' };
  return 'changed';
}

export class EvalOracle {
  /** Rows whose scored turn has the same conversation before it share a key (duplicates in a split). */
  private readonly byKey = new Map<string, Entry[]>();
  readonly brokenTurns: BrokenTurn[] = [];
  answered = 0;

  constructor(private readonly config: EvalOracleConfig) {
    if (!Array.isArray(config.rows)) throw new Error('eval: `rows` must be an array of truth rows (the lines of eval.truth.jsonl).');
    for (const row of config.rows) {
      for (const turn of row.turns ?? []) {
        const prefix = row.messages.slice(0, turn.at).map((m) => ({ role: m.role, text: m.content ?? '', calls: (m.tool_calls ?? []).map((c): [string, unknown] => [c.name, c.arguments]) }));
        const key = keyOf(prefix);
        this.byKey.set(key, [...(this.byKey.get(key) ?? []), { row, turn }]);
      }
    }
  }

  get turns(): number {
    return this.byKey.size;
  }

  /** The reply to a request, or undefined when its conversation is not a truth prefix. */
  reply(model: string, messages: ChatMessage[]): OracleReply | undefined {
    const key = keyOf(messages.map((m) => ({ role: m.role, text: messageText(m), calls: (m.tool_calls ?? []).map((c): [string, unknown] => [c.function?.name ?? '', parseArgs(c.function?.arguments ?? '')]) })));
    const entries = this.byKey.get(key);
    if (!entries) return undefined;
    this.answered++;
    const { row, turn } = entries[0];
    let calls = turn.calls.map((c) => {
      const [name, params] = Object.entries(c)[0];
      return { name, arguments: firstArgs(params) };
    });
    const share = this.config.broken?.[model] ?? this.config.broken?.['*'] ?? 0;
    const roll = hash32(String(this.config.seed ?? 0), key, model) / 2 ** 32;
    if (roll < share) {
      const kind = this.breakTurn(row, calls, hash32('kind', key, model));
      calls = kind.calls;
      // The same answer goes to every row with this conversation: each of them is broken.
      for (const e of entries) this.brokenTurns.push({ model, id: e.row.id, category: e.row.category, at: e.turn.at, kind: kind.kind });
    }
    const text = this.config.textModels?.includes(model) ?? false;
    if (calls.length === 0) return { content: turn.expect === 'clarify' ? 'Could you tell me a little more about what you need?' : 'Here is the answer, no tool needed.', toolCalls: [] };
    if (text) return { content: calls.map((c) => `<tool_call>\n${JSON.stringify({ name: c.name, arguments: c.arguments })}\n</tool_call>`).join('\n'), toolCalls: [] };
    return { content: null, toolCalls: calls.map((c) => ({ name: c.name, arguments: JSON.stringify(c.arguments) })) };
  }

  /** Breaks the turn's answer in one way that the checker must catch. */
  private breakTurn(row: TruthRow, calls: { name: string; arguments: Record<string, unknown> }[], pick: number): { kind: BreakKind; calls: typeof calls } {
    if (calls.length === 0) {
      const fn = row.functions[0];
      return { kind: 'call_on_irrelevance', calls: [{ name: fn?.name ?? 'any_tool', arguments: {} }] };
    }
    const [first, ...rest] = calls;
    const fn = row.functions.find((f) => f.name === first.name);
    const required = ((fn?.parameters?.required as string[] | undefined) ?? []).filter((p) => p in first.arguments);
    const params = Object.keys(first.arguments);
    const kinds: BreakKind[] = ['wrong_function', 'extra_param'];
    if (required.length) kinds.push('missing_param');
    if (params.length) kinds.push('wrong_value');
    const kind = kinds[pick % kinds.length];
    let broken = { ...first };
    if (kind === 'wrong_function') {
      const names = new Set(calls.map((c) => c.name));
      const other = row.functions.find((f) => !names.has(f.name));
      broken = { ...first, name: other ? other.name : `${first.name}_unknown` };
    } else if (kind === 'extra_param') broken = { ...first, arguments: { ...first.arguments, unexpected_extra: true } };
    else if (kind === 'missing_param') {
      const { [required[0]]: _dropped, ...others } = first.arguments;
      broken = { ...first, arguments: others };
    } else broken = { ...first, arguments: { ...first.arguments, [params[0]]: changed(first.arguments[params[0]]) } };
    return { kind, calls: [broken, ...rest] };
  }

  report(): { turns: number; answered: number; broken: BrokenTurn[] } {
    return { turns: this.turns, answered: this.answered, broken: [...this.brokenTurns] };
  }
}

/** The oracle's reply in the Chat Completions shape (usage estimated from the texts). */
export function oracleCompletion(req: ChatRequest, reply: OracleReply, serial: number, nowMs: number): ChatCompletion {
  const rng = new Rng(hash32('oracle', serial, canonicalJson(reply)));
  const toolCalls = reply.toolCalls.map((c) => ({ id: `call_${rng.base62(24)}`, type: 'function' as const, function: c }));
  const promptTokens = estimateTokens(promptText(req));
  const completionTokens = Math.ceil(((reply.content?.length ?? 0) + reply.toolCalls.reduce((n, c) => n + c.name.length + c.arguments.length, 0)) / 4);
  return {
    id: `chatcmpl-${rng.base62(29)}`,
    object: 'chat.completion',
    created: Math.floor(nowMs / 1000),
    model: req.modelName,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply.content, refusal: null, annotations: [], ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
        logprobs: null,
        finish_reason: toolCalls.length ? 'tool_calls' : 'stop',
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: null,
  };
}
