// The offline provider: every scenario with no model. User turns come from templates filled with the
// tool's action phrase and the planned argument values; calls use exactly those values; simulated
// results come from the samplers (conforming to outputSchema when there is one); answers are grounded
// in the tool results. Judge and paraphrase are rule-based. Deterministic for a seed.
import type { LlmProvider, PlanContext, ReplyKind } from '../provider';
import type { Message, Sample, ToolCall, ToolDef, Usage } from '../../types';
import { emptyUsage } from '../../types';
import { createRng, seedFrom, type Rng } from '../../util/rng';
import * as T from './templates';
import { actionPhrase, capitalize, humanKey, propertyNames, renderArgs, renderValue, requiredProps, resultFacts, topicPhrase } from './text';
import { idSchemaFor, simulate } from './simulate';
import { judgeByRules } from './judge';
import { stateFrom } from '../../stages/conversation-state';

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const lower = k[0].toLowerCase() + k.slice(1);
    const v = vars[lower] ?? '';
    return k[0] === k[0].toUpperCase() && k[0] !== k[0].toLowerCase() ? capitalize(v) : v;
  });
}

function lastUserIndex(messages: Message[]): number {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user') return i;
  return -1;
}

export class OfflineProvider implements LlmProvider {
  readonly name = 'offline' as const;
  readonly model = 'offline-rules-v1';

  private rngFor(ctx: PlanContext, what: string, extra: string | number = ''): Rng {
    return createRng(seedFrom(ctx.seed, what, extra));
  }

  async userRequest(ctx: PlanContext, history: Message[] = []): Promise<string> {
    const rng = this.rngFor(ctx, 'user', history.length);
    const topic = topicPhrase(ctx.targets[0]);
    if (ctx.scenario === 'no_tool') {
      const q = fill(rng.pick(T.NO_TOOL_TEMPLATES), { topic, persona: ctx.persona });
      return rng.bool(0.6) ? `${q} ${this.reason(rng)}` : q;
    }
    if (ctx.scenario === 'ambiguous' && history.length === 0) return fill(rng.pick(T.AMBIGUOUS_TEMPLATES), { action: actionPhrase(ctx.targets[0]) });
    if (ctx.scenario === 'sequential' && ctx.targets.length > 1 && history.length === 0) {
      // The second step depends on what the first finds: only the first step's values are given.
      const args = renderArgs(ctx.argHints[0]);
      const templates = (args ? T.REQUEST_TEMPLATES : T.NOARG_TEMPLATES)[ctx.style] ?? (args ? T.REQUEST_TEMPLATES : T.NOARG_TEMPLATES).polite;
      const firstStep = fill(rng.pick(templates), { action: actionPhrase(ctx.targets[0]), args });
      const then = fill(rng.pick(T.SEQUENTIAL_THEN), { action: actionPhrase(ctx.targets[1]) });
      return `${/[?.!]$/.test(firstStep) ? firstStep : `${firstStep}.`} ${then}`;
    }
    const later = history.length > 0;
    const parts = ctx.targets.map((tool, i) => {
      const args = renderArgs(ctx.argHints[i]);
      // A later turn goes straight to what is wanted next (no second greeting); the first may greet.
      const templates =
        i > 0 ? (args ? T.PARALLEL_PARTS : T.PARALLEL_NOARG_PARTS)
        : later ? (args ? T.FOLLOWUP_REQUESTS : T.FOLLOWUP_NOARG_REQUESTS)
        : ((args ? T.REQUEST_TEMPLATES : T.NOARG_TEMPLATES)[ctx.style] ?? (args ? T.REQUEST_TEMPLATES : T.NOARG_TEMPLATES).polite);
      return fill(rng.pick(templates), { action: actionPhrase(tool), args });
    });
    let text = parts[0];
    for (const p of parts.slice(1)) text += `${rng.pick(T.PARALLEL_JOINERS)}${p[0].toLowerCase()}${p.slice(1)}`;
    // Why the user asks: always for requests without values (they would read alike), else half the time.
    const bare = ctx.argHints.every((h) => !renderArgs(h));
    if (bare || rng.bool(0.5)) text = `${/[?.!]$/.test(text) ? text : `${text}.`} ${this.reason(rng)}`;
    return text;
  }

  private reason(rng: Rng): string {
    return fill(rng.pick(T.PARAPHRASE_REASONS), { purpose: rng.pick(T.PARAPHRASE_PURPOSES) });
  }

  async toolCalls(ctx: PlanContext): Promise<ToolCall[]> {
    return ctx.targets.map((tool, i) => ({ id: `call_${i}`, name: tool.name, arguments: ctx.argHints[i] ?? {} }));
  }

  async simulateResult(ctx: PlanContext, tool: ToolDef, call: ToolCall, failing: boolean, history?: Message[]): Promise<string> {
    const state = stateFrom(history, [...ctx.tools, tool]);
    return simulate(tool, call, failing, this.rngFor(ctx, 'result', `${tool.name}:${JSON.stringify(call.arguments)}`), idSchemaFor(tool, ctx.tools), state);
  }

  async reply(ctx: PlanContext, messages: Message[], kind: ReplyKind): Promise<string> {
    const rng = this.rngFor(ctx, `reply-${kind}`, messages.length);
    const tool = ctx.targets[0];
    const topic = topicPhrase(tool);
    switch (kind) {
      case 'direct':
        return fill(rng.pick(T.DIRECT_ANSWERS), { topic });
      case 'decline': {
        const can = ctx.tools.slice(0, 3).map((t) => actionPhrase(t));
        const alternatives = can.length ? renderValue(can).replace(/ and ([^,]+)$/, ' or $1') : 'answer general questions';
        return fill(rng.pick(T.DECLINE_TEMPLATES), { action: actionPhrase(tool), alternatives });
      }
      case 'clarify': {
        const required = requiredProps(tool.inputSchema);
        const asks = (required.length ? required : propertyNames(tool.inputSchema)).slice(0, 3).map(humanKey);
        const missing = asks.length ? asks.join(' and ') : 'details you want';
        return fill(rng.pick(T.CLARIFY_TEMPLATES), { action: actionPhrase(tool), missing });
      }
      case 'followup':
        return fill(rng.pick(T.FOLLOWUP_ANSWERS), { args: renderArgs(ctx.argHints[0]) || 'whatever you think is best' });
      case 'recover': {
        const failed = messages.slice(lastUserIndex(messages)).find((m) => m.role === 'tool' && /^error\b/i.test(m.content ?? ''));
        const error = (failed?.content ?? 'unknown error').replace(/^error:\s*/i, '').slice(0, 160);
        return fill(rng.pick(T.RECOVER_TEMPLATES), { action: actionPhrase(tool), args: renderArgs(ctx.argHints[0]) || 'the request', error });
      }
      case 'final':
      default: {
        const from = lastUserIndex(messages);
        const results = messages.slice(from).filter((m) => m.role === 'tool');
        const asked = `${messages[from]?.content ?? ''}`.toLowerCase();
        const known = (fact: string) => asked.includes(fact.split(' ').slice(-1)[0].toLowerCase());
        const facts = results.map((m) => resultFacts(m.content ?? '', 4, known).replace(/[.!\s]+$/, '')).filter(Boolean).join('; ') || 'the request completed';
        const leads = T.FINAL_LEADS[ctx.style] ?? T.FINAL_LEADS.polite;
        return fill(rng.pick(leads), { facts, tool: tool.name, args: renderArgs(ctx.argHints[0]) || 'your request' });
      }
    }
  }

  async paraphrase(text: string, seed: number): Promise<string> {
    const rng = createRng(seedFrom(seed, 'paraphrase', text));
    let out = text;
    for (const [from, tos] of T.SYNONYMS) {
      const re = new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      if (re.test(out) && rng.bool(0.8)) out = out.replace(re, (m) => (m[0] === m[0].toUpperCase() ? capitalize(rng.pick(tos)) : rng.pick(tos)));
    }
    // Reword, then frame the request differently: an opener, a reason and thanks, in either order.
    const opener = rng.pick(T.PARAPHRASE_OPENERS);
    const reason = this.reason(rng);
    const thanks = rng.pick(T.PARAPHRASE_THANKS);
    const body = `${opener}${out[0].toLowerCase()}${out.slice(1)}`;
    const ended = /[?.!]$/.test(body) ? body : `${body}.`;
    return rng.bool(0.5) ? `${ended} ${reason}${thanks}` : `${reason} ${ended}${thanks}`;
  }

  async judge(sample: Sample, tools: ToolDef[]): Promise<{ score: number; reasons: string[] }> {
    return judgeByRules(sample, tools);
  }

  usage(): Usage {
    return emptyUsage();
  }
}
