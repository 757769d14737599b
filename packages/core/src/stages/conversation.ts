// Scenario scripts: how each kind of conversation unfolds, independent of the provider. The provider
// supplies the words and the calls; execution supplies tool results (live or simulated).
import type { ForgeConfig } from '../config/types';
import type { LlmProvider, PlanContext } from '../llm/provider';
import type { Message, Scenario, ToolCall, ToolDef } from '../types';
import { executeCall, type LiveTools } from './execute';
import { createRng, seedFrom, type Rng } from '../util/rng';
import { fingerprint } from '../util/hash';
import { sampleArguments } from '../schema/sample';
import { validateAgainst } from '../schema/validator';
import { applyPools, type ValuePools } from './harvest';
import { sequentialLink, UNLINKED_SEQUENCE } from './validate';

export interface ConversationResult {
  messages: Message[];
  execution: Record<string, 'live' | 'simulated'>;
}

/** A live call failed where the scenario needs a success (e.g. a value the server does not know). */
export class LiveCallFailed extends Error {
  constructor(readonly tool: string, readonly result: string) {
    super(`live_call_failed: ${tool} returned ${result.slice(0, 160)}`);
  }
}

/** A sequential conversation whose second call took nothing from the first result: worth another attempt. */
export class UnlinkedSequence extends Error {
  /** The conversation as far as it got, kept on the rejected row. */
  constructor(readonly messages: Message[]) {
    super(UNLINKED_SEQUENCE);
  }
}

/**
 * A parallel conversation whose model made fewer calls than the request asks for in one turn (only the
 * first of two, say): worth another attempt with other values before the item is given up (then a top-up).
 */
export class TooFewParallelCalls extends Error {
  /** The conversation as far as it got, kept on the rejected row. */
  constructor(readonly messages: Message[], reason: string) {
    super(reason);
  }
}

/** Why a parallel call turn does not serve its scenario (undefined: it does). Same words as the rule check. */
export function parallelShortfall(scenario: Scenario, calls: ToolCall[]): string | undefined {
  if (scenario === 'parallel' && calls.length < 2) return 'scenario: parallel sample has no assistant turn with 2 or more calls';
  if (scenario === 'parallel_multiple' && new Set(calls.map((c) => c.name)).size < 2) return 'scenario: parallel_multiple sample has no assistant turn calling 2 or more different tools';
  return undefined;
}

export interface ConversationDeps {
  cfg: ForgeConfig;
  provider: LlmProvider;
  live?: LiveTools;
  /** Repair requests made and calls they fixed (for usage.json and the report). */
  stats?: RepairStats;
}

export interface RepairStats {
  repairs: number;
  repaired: number;
}

/** Validation errors per call against the ORIGINAL schemas (empty list: the call is valid). */
export function callErrors(calls: ToolCall[], byName: Map<string, ToolDef>): string[][] {
  return calls.map((c) => {
    const tool = byName.get(c.name);
    if (!tool) return [];
    if (c.arguments === undefined) return [`the arguments are not valid JSON: ${(c.raw ?? '').slice(0, 120)}`];
    return validateAgainst(tool.inputSchema, c.arguments).errors;
  });
}

/** The provider's calls; when some fail validation, one repair request shows the errors and asks again. */
async function callsWithRepair(deps: ConversationDeps, ctx: PlanContext, messages: Message[], byName: Map<string, ToolDef>): Promise<ToolCall[]> {
  const calls = await deps.provider.toolCalls(ctx, messages);
  if (deps.cfg.generator.repair === false || !deps.provider.repairCalls) return calls;
  const errors = callErrors(calls, byName);
  if (!errors.some((e) => e.length)) return calls;
  if (deps.stats) deps.stats.repairs++;
  const fixed = await deps.provider.repairCalls(ctx, messages, calls, errors);
  if (!fixed.length) return calls;
  if (deps.stats && !callErrors(fixed, byName).some((e) => e.length)) deps.stats.repaired++;
  return fixed;
}

const ERROR_VALUES: [RegExp, string][] = [
  [/city|town|location|place|region/i, 'Atlantis'],
  [/country/i, 'Freedonia'],
  [/path|file|dir/i, '/nonexistent/missing-file.txt'],
  [/url|uri|link/i, 'https://invalid.example/missing'],
  [/id$|_id|identifier/i, 'does-not-exist-404'],
  [/name|entity|query|key/i, 'no-such-entry-404'],
];

/** Argument hints for one target: typical (known to the live server when pools exist), edge, or likely to fail (error). */
export function hintsFor(tool: ToolDef, rng: Rng, scenario: Scenario, pools?: ValuePools): Record<string, unknown> {
  const mode = scenario === 'edge' ? 'edge' : 'typical';
  let args = sampleArguments(tool, { rng, mode }) as Record<string, unknown>;
  if (scenario !== 'error' && pools) args = applyPools(args, tool.inputSchema, pools, rng, tool.serverToolName || tool.name);
  if (scenario !== 'error' || !args || typeof args !== 'object') return args;
  // Prefer a value that makes a real server fail (an unknown city), when the schema allows it.
  for (const key of Object.keys(args)) {
    if (typeof args[key] !== 'string') continue;
    const hit = ERROR_VALUES.find(([re]) => re.test(key));
    if (!hit) continue;
    const candidate = { ...args, [key]: hit[1] };
    if (validateAgainst(tool.inputSchema, candidate).valid) return candidate;
  }
  return args;
}

function callId(key: string, turn: number, i: number): string {
  return `call_${fingerprint([key, turn, i]).slice(0, 24)}`;
}

export async function callTurn(
  deps: ConversationDeps,
  ctx: PlanContext,
  messages: Message[],
  key: string,
  byName: Map<string, ToolDef>,
  execution: Record<string, 'live' | 'simulated'>,
  failFirst: boolean,
): Promise<void> {
  const turn = messages.length;
  const calls: ToolCall[] = (await callsWithRepair(deps, ctx, messages, byName)).map((c, i) => ({ ...c, id: callId(key, turn, i) }));
  messages.push({ role: 'assistant', content: null, tool_calls: calls });
  // Parallel scenarios: a turn with too few calls is not worth simulating results for.
  const short = parallelShortfall(ctx.scenario, calls);
  if (short) throw new TooFewParallelCalls(messages, short);
  for (const [i, call] of calls.entries()) {
    const tool = byName.get(call.name);
    if (!tool || call.arguments === undefined) {
      // An unknown tool or unparseable arguments: keep the call so QC rejects it with a reason.
      messages.push({ role: 'tool', tool_call_id: call.id, name: call.name, content: `Error: cannot execute ${call.name}` });
      continue;
    }
    const result = await executeCall({ cfg: deps.cfg, tool, call, ctx, provider: deps.provider, live: deps.live, failing: failFirst && i === 0, history: messages });
    if (result.isError && result.mode === 'live' && !(failFirst && i === 0)) throw new LiveCallFailed(call.name, result.content);
    execution[call.id] = result.mode;
    messages.push({ role: 'tool', tool_call_id: call.id, name: call.name, content: result.content });
  }
}

/** Scalar string values of a tool result with their keys (JSON), or the quoted/plain tokens of text. */
function resultStrings(content: string): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  const visit = (v: unknown, key: string, depth: number) => {
    if (depth > 6 || out.length > 200) return;
    if (Array.isArray(v)) v.forEach((x) => visit(x, key, depth + 1));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v as Record<string, unknown>)) visit(x, k, depth + 1);
    else if (typeof v === 'string' || typeof v === 'number') out.push({ key, value: String(v) });
  };
  try {
    visit(JSON.parse(content), '', 0);
  } catch {
    for (const m of content.matchAll(/"([^"]{2,80})"|'([^']{2,80})'/g)) out.push({ key: '', value: m[1] ?? m[2] });
    // Plain-text results (live servers often answer in prose): names in capitals ("Oslo", "New York").
    for (const m of content.matchAll(/\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*\b/g)) if (!PROSE_WORDS.has(m[0].toLowerCase())) out.push({ key: '', value: m[0] });
  }
  return out;
}

/** Capitalised words of prose results that are not names. */
const PROSE_WORDS = new Set(['no', 'none', 'the', 'a', 'an', 'current', 'error', 'ok', 'yes', 'found', 'results', 'result', 'there', 'this', 'it', 'not', 'all', 'day', 'today', 'tomorrow']);

const LINK_KEYS = /(^|_)(id|name|city|title|path|key|slug|uri|url|ref|handle|entity|code)s?$/i;

/**
 * Sequential: the second call's hints with one value taken from the first call's result (a key of
 * the same name first, then an identifier-like key, then any plausible value that the schema takes).
 */
export function chainHints(tool: ToolDef, hints: Record<string, unknown>, result: string, asked = ''): { hints: Record<string, unknown>; linked?: string } {
  const props = ((tool.inputSchema as { properties?: Record<string, { type?: unknown }> }) ?? {}).properties ?? {};
  const stringProps = Object.keys(props).filter((k) => props[k]?.type === 'string' || props[k]?.type === undefined);
  const values = resultStrings(result).filter((v) => v.value.length >= 2 && v.value.length <= 120 && !/^(ok|true|false|null|success)$/i.test(v.value) && !asked.toLowerCase().includes(v.value.toLowerCase()));
  const norm = (k: string) => k.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/s$/, '');
  const tries: { prop: string; value: string }[] = [];
  for (const p of stringProps) for (const v of values) if (v.key && norm(v.key) === norm(p)) tries.push({ prop: p, value: v.value });
  for (const p of stringProps.filter((k) => LINK_KEYS.test(k))) for (const v of values) if (LINK_KEYS.test(v.key)) tries.push({ prop: p, value: v.value });
  for (const p of stringProps) for (const v of values) if (/[a-z]/i.test(v.value)) tries.push({ prop: p, value: v.value });
  for (const t of tries) {
    const candidate = { ...hints, [t.prop]: t.value };
    if (validateAgainst(tool.inputSchema, candidate).valid) return { hints: candidate, linked: t.value };
  }
  return { hints };
}

export async function buildConversation(deps: ConversationDeps, ctx: PlanContext, key: string, byName: Map<string, ToolDef>): Promise<ConversationResult> {
  const { provider } = deps;
  const messages: Message[] = [];
  const execution: Record<string, 'live' | 'simulated'> = {};
  const rng = createRng(seedFrom(ctx.seed, 'script'));
  const only = (i: number, over: Partial<PlanContext> = {}): PlanContext => ({ ...ctx, targets: [ctx.targets[i] ?? ctx.targets[0]], argHints: [ctx.argHints[i] ?? ctx.argHints[0]], ...over });
  // multi_turn: the first request is about the first target only (the others come later).
  const ctx1: PlanContext = ctx.scenario === 'multi_turn' ? only(0) : ctx;
  messages.push({ role: 'user', content: await provider.userRequest(ctx1, []) });

  switch (ctx.scenario) {
    case 'no_tool':
      messages.push({ role: 'assistant', content: await provider.reply(ctx, messages, 'direct') });
      break;
    case 'irrelevance':
      // The needed tool is not offered: no call; the assistant says what is missing.
      messages.push({ role: 'assistant', content: await provider.reply(ctx, messages, 'decline') });
      break;
    case 'ambiguous':
      messages.push({ role: 'assistant', content: await provider.reply(ctx, messages, 'clarify') });
      // Half of the ambiguous samples go on: the user answers and the assistant calls the tool.
      if (rng.bool(0.5)) {
        messages.push({ role: 'user', content: await provider.reply(ctx, messages, 'followup') });
        await callTurn(deps, ctx, messages, key, byName, execution, false);
        messages.push({ role: 'assistant', content: await provider.reply(ctx, messages, 'final') });
      }
      break;
    case 'error':
      await callTurn(deps, ctx, messages, key, byName, execution, true);
      messages.push({ role: 'assistant', content: await provider.reply(ctx, messages, 'recover') });
      break;
    case 'sequential': {
      // Two assistant turns: the second call takes a value from the first call's result.
      await callTurn(deps, only(0), messages, key, byName, execution, false);
      const first = messages[messages.length - 1]?.content ?? '';
      const second = ctx.targets[1] ?? ctx.targets[0];
      const chained = chainHints(second, ctx.argHints[1] ?? {}, first, String(messages[0].content ?? ''));
      await callTurn(deps, only(1, { argHints: [chained.hints] }), messages, key, byName, execution, false);
      // A first result with nothing to take (an empty list, a value the user already gave) makes two
      // independent calls, not a sequence: another attempt with other values (then a top-up).
      if (sequentialLink(messages) === 'unlinked') throw new UnlinkedSequence(messages);
      messages.push({ role: 'assistant', content: await provider.reply(ctx, messages, 'final') });
      break;
    }
    case 'multi_turn': {
      // Three requests in a row; the plan gave one target (and its hints) per request.
      await callTurn(deps, ctx1, messages, key, byName, execution, false);
      messages.push({ role: 'assistant', content: await provider.reply(ctx1, messages, 'final') });
      for (let turn = 1; turn < Math.max(3, ctx.targets.length); turn++) {
        const next = ctx.targets[turn] ?? ctx.targets[ctx.targets.length - 1];
        const ctxN: PlanContext = { ...ctx, seed: seedFrom(ctx.seed, `turn${turn + 1}`), scenario: 'standard', targets: [next], argHints: [ctx.argHints[turn] ?? hintsFor(next, rng, 'standard')] };
        messages.push({ role: 'user', content: await provider.userRequest(ctxN, messages) });
        await callTurn(deps, ctxN, messages, key, byName, execution, false);
        messages.push({ role: 'assistant', content: await provider.reply(ctxN, messages, 'final') });
      }
      break;
    }
    default:
      await callTurn(deps, ctx, messages, key, byName, execution, false);
      messages.push({ role: 'assistant', content: await provider.reply(ctx, messages, 'final') });
  }
  return { messages, execution };
}

/** Append one more request (user turn, calls, results, answer) to a finished conversation. */
export async function extendConversation(deps: ConversationDeps, ctx: PlanContext, key: string, byName: Map<string, ToolDef>, base: Message[]): Promise<ConversationResult> {
  const messages = base.map((m) => ({ ...m }));
  const execution: Record<string, 'live' | 'simulated'> = {};
  const next: PlanContext = { ...ctx, scenario: 'standard' };
  messages.push({ role: 'user', content: await deps.provider.userRequest(next, messages) });
  await callTurn(deps, next, messages, key, byName, execution, false);
  messages.push({ role: 'assistant', content: await deps.provider.reply(next, messages, 'final') });
  return { messages, execution };
}

/** Prepend a short exchange that needs no tool, as conversational context before the request. */
export async function withContext(deps: ConversationDeps, ctx: PlanContext, base: Message[]): Promise<Message[]> {
  const pre: PlanContext = { ...ctx, scenario: 'no_tool' };
  const user = await deps.provider.userRequest(pre, []);
  const answer = await deps.provider.reply(pre, [{ role: 'user', content: user }], 'direct');
  return [{ role: 'user', content: user }, { role: 'assistant', content: answer }, ...base.map((m) => ({ ...m }))];
}
