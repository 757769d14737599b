// The per-sample part of each prompt (what comes after the static system message): persona, style,
// scenario, the values the user should mention (argHints), the conversation so far. Pure functions
// of their inputs, so the rendered prompt is pinned by a spec and request cache keys stay stable.
import type { PlanContext, ReplyKind } from '../provider';
import type { JsonSchema, Message, Sample, ToolDef } from '../../types';
import { sampleValue } from '../../schema/sample';
import { createRng, seedFrom } from '../../util/rng';
import { topicWords } from '../../stages/tool-roles';
import { fields, promptSection, transcript } from './prompts';

function renderValue(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? 'null';
}

/** `- tool: key = value, ...` per target (plain values for non-object hints). */
export function valuesToMention(targets: ToolDef[], hints: Record<string, unknown>[], omit?: string): string {
  return targets
    .map((t, i) => {
      const h = hints[i];
      if (h === undefined) return `- for ${t.name}: any sensible values`;
      if (!h || typeof h !== 'object' || Array.isArray(h)) return `- for ${t.name}: ${renderValue(h)}`;
      const parts = Object.entries(h)
        .filter(([k]) => k !== omit)
        .map(([k, v]) => `${k} = ${renderValue(v)}`);
      return `- for ${t.name}: ${parts.length ? parts.join(', ') : 'no values needed'}`;
    })
    .join('\n');
}

/** The value an ambiguous request leaves out: the first required property (else the first hinted one). */
export function leftOutKey(tool: ToolDef, hints: Record<string, unknown> | undefined): string | undefined {
  const schema = tool.inputSchema as { required?: unknown };
  const required = Array.isArray(schema?.required) ? schema.required.filter((k): k is string => typeof k === 'string') : [];
  const hinted = hints && typeof hints === 'object' ? Object.keys(hints) : [];
  return required.find((k) => hinted.includes(k)) ?? required[0] ?? hinted[0];
}

/** Which scenario instructions a user turn follows. */
function userScenario(ctx: PlanContext, history: Message[]): string {
  if (history.length) return 'multi_turn';
  return ctx.scenario === 'multi_turn' ? 'standard' : ctx.scenario;
}

export function userRequestPrompt(ctx: PlanContext, history: Message[]): string {
  const scenario = userScenario(ctx, history);
  const omit = scenario === 'ambiguous' ? leftOutKey(ctx.targets[0], ctx.argHints[0]) : undefined;
  return fields([
    ['Scenario', `${scenario}: ${promptSection('scenarios', scenario)}`],
    ['Persona', ctx.persona],
    ['Style', ctx.style],
    ['Values to mention', scenario === 'no_tool' ? undefined : scenario === 'sequential' ? valuesToMention(ctx.targets.slice(0, 1), ctx.argHints.slice(0, 1)) : valuesToMention(ctx.targets, ctx.argHints, omit)],
    ['Then', scenario === 'sequential' && ctx.targets[1] ? `${ctx.targets[1].name}: ${ctx.targets[1].description}` : undefined],
    ['Leave out', omit],
    ['Conversation so far', history.length ? transcript(history) : undefined],
    ['Variation', String(ctx.seed)],
    ['Task', "Write the user's message."],
  ]);
}

export function replyPrompt(ctx: PlanContext, messages: Message[], kind: ReplyKind): string {
  const user = kind === 'followup';
  return fields([
    ['Turn to write', promptSection('reply-kinds', kind)],
    ['Scenario', ctx.scenario],
    ['Missing tool', kind === 'decline' ? `${ctx.targets[0]?.name}: ${ctx.targets[0]?.description}` : undefined],
    ['Persona', user ? ctx.persona : undefined],
    ['Style', user ? ctx.style : undefined],
    ['Values to mention', user ? valuesToMention(ctx.targets.slice(0, 1), ctx.argHints.slice(0, 1)) : undefined],
    ['Conversation so far', transcript(messages)],
    ['Variation', String(ctx.seed)],
  ]);
}

/**
 * How ids of what this tool creates or finds look on this server: another offered tool's `<noun>_id`
 * parameter (a pattern or format) for a noun this tool is about, shown as an example `{"id": ...}`,
 * so that a later call can pass the id on (sequential rows) and the id fits where it goes.
 */
export function idExample(ctx: PlanContext, tool: ToolDef): string | undefined {
  const about = topicWords(tool);
  for (const other of [...ctx.targets, ...ctx.tools]) {
    const props = ((other.inputSchema as { properties?: Record<string, JsonSchema> }) ?? {}).properties ?? {};
    for (const [key, schema] of Object.entries(props)) {
      const m = /^(.+?)_?id$/i.exec(key);
      if (!m || !about.has(m[1].toLowerCase().replace(/_/g, '')) || typeof schema !== 'object' || !schema || !('pattern' in schema || 'format' in schema)) continue;
      const value = sampleValue(schema, { rng: createRng(seedFrom(ctx.seed, 'id-example', key)), name: key, mode: 'typical' });
      if (typeof value === 'string') return `ids on this server look like ${JSON.stringify({ id: value })} (${key} of ${other.name})`;
    }
  }
  return undefined;
}

/** At most this many earlier calls, the latest, each result cut to RESULT_CHARS, are shown to a simulated tool. */
const EARLIER_CALLS = 8;
const RESULT_CHARS = 600;

/** A call of the conversation so far and the result it got. */
export interface EarlierCall {
  tool: string;
  arguments: unknown;
  result: string;
}

/**
 * The calls of the conversation so far that have a result (earlier turns, and earlier calls of this
 * turn), with their results: the state a simulated tool has to stay consistent with.
 */
export function earlierCalls(messages: Message[]): EarlierCall[] {
  const results = new Map(messages.filter((m) => m.role === 'tool' && m.tool_call_id).map((m) => [m.tool_call_id!, m.content ?? '']));
  return messages.flatMap((m) => (m.tool_calls ?? []).filter((c) => results.has(c.id)).map((c) => ({ tool: c.name, arguments: c.arguments ?? c.raw ?? null, result: results.get(c.id)! })));
}

/** `- tool({...}) returned: ...` per earlier call of the conversation (undefined when there is none). */
export function earlierState(history: Message[] | undefined): string | undefined {
  const earlier = earlierCalls(history ?? []).slice(-EARLIER_CALLS);
  if (!earlier.length) return undefined;
  return earlier
    .map((c) => {
      const result = c.result.replace(/\s+/g, ' ').trim();
      return `- ${c.tool}(${JSON.stringify(c.arguments ?? {})}) returned: ${result.length > RESULT_CHARS ? `${result.slice(0, RESULT_CHARS)}...` : result}`;
    })
    .join('\n');
}

export function simulatePrompt(ctx: PlanContext, tool: ToolDef, args: unknown, failing: boolean, history?: Message[]): string {
  return fields([
    ['Tool', tool.name],
    ['Arguments', JSON.stringify(args ?? {})],
    ['Id format', failing ? undefined : idExample(ctx, tool)],
    ['Return', failing ? 'a realistic failure of this call (the error message the tool would give)' : "the tool's successful result for these arguments"],
    ['Earlier in this conversation', earlierState(history)],
    ['Variation', String(ctx.seed)],
  ]);
}

export function paraphrasePrompt(text: string, seed: number, style: string): string {
  return fields([
    ['Style', style],
    ['Variation', String(seed)],
    ['Message', text],
  ]);
}

export function judgePrompt(sample: Sample): string {
  const scenario = sample.scenario;
  return fields([
    ['Scenario', `${scenario}: ${promptSection('judge-scenarios', scenario)}`],
    ['Conversation', transcript(sample.messages)],
  ]);
}
