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

export interface ConversationDeps {
  cfg: ForgeConfig;
  provider: LlmProvider;
  live?: LiveTools;
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
  const calls: ToolCall[] = (await deps.provider.toolCalls(ctx, messages)).map((c, i) => ({ ...c, id: callId(key, turn, i) }));
  messages.push({ role: 'assistant', content: null, tool_calls: calls });
  for (const [i, call] of calls.entries()) {
    const tool = byName.get(call.name);
    if (!tool || call.arguments === undefined) {
      // An unknown tool or unparseable arguments: keep the call so QC rejects it with a reason.
      messages.push({ role: 'tool', tool_call_id: call.id, name: call.name, content: `Error: cannot execute ${call.name}` });
      continue;
    }
    const result = await executeCall({ cfg: deps.cfg, tool, call, ctx, provider: deps.provider, live: deps.live, failing: failFirst && i === 0 });
    if (result.isError && result.mode === 'live' && !(failFirst && i === 0)) throw new LiveCallFailed(call.name, result.content);
    execution[call.id] = result.mode;
    messages.push({ role: 'tool', tool_call_id: call.id, name: call.name, content: result.content });
  }
}

export async function buildConversation(deps: ConversationDeps, ctx: PlanContext, key: string, byName: Map<string, ToolDef>): Promise<ConversationResult> {
  const { provider } = deps;
  const messages: Message[] = [];
  const execution: Record<string, 'live' | 'simulated'> = {};
  const rng = createRng(seedFrom(ctx.seed, 'script'));
  // multi_turn: the first request is about the first target only (the second comes later).
  const ctx1: PlanContext = ctx.scenario === 'multi_turn' ? { ...ctx, targets: ctx.targets.slice(0, 1), argHints: ctx.argHints.slice(0, 1) } : ctx;
  messages.push({ role: 'user', content: await provider.userRequest(ctx1, []) });

  switch (ctx.scenario) {
    case 'no_tool':
      messages.push({ role: 'assistant', content: await provider.reply(ctx, messages, 'direct') });
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
    case 'multi_turn': {
      // Two requests in a row; the plan gave one target (and its hints) per request.
      await callTurn(deps, ctx1, messages, key, byName, execution, false);
      messages.push({ role: 'assistant', content: await provider.reply(ctx1, messages, 'final') });
      const next = ctx.targets[1] ?? ctx.targets[0];
      const ctx2: PlanContext = { ...ctx, seed: seedFrom(ctx.seed, 'turn2'), scenario: 'standard', targets: [next], argHints: [ctx.argHints[1] ?? hintsFor(next, rng, 'standard')] };
      messages.push({ role: 'user', content: await provider.userRequest(ctx2, messages) });
      await callTurn(deps, ctx2, messages, key, byName, execution, false);
      messages.push({ role: 'assistant', content: await provider.reply(ctx2, messages, 'final') });
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
