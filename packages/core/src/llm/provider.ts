// The provider interface: every piece of text or call the stages need from a model.
// `offline` implements it with templates and samplers, `openai` with the Chat Completions API.
// Stages never talk to a model directly, so they work the same with either.
import type { BatchRounds } from './openai/batch/batch-queue';
import type { Message, Sample, Scenario, ToolCall, ToolDef, Usage } from '../types';

export interface PlanContext {
  /** Deterministic per-sample seed (from config seed + plan key). */
  seed: number;
  scenario: Scenario;
  persona: string;
  style: string;
  /** Tools offered in the conversation. */
  tools: ToolDef[];
  /** Tools the sample is about (one, or several for parallel). */
  targets: ToolDef[];
  /** Argument values the sample should use, one per target (schema-valid, from the samplers). */
  argHints: Record<string, unknown>[];
  /** Key used for request caching / prompt_cache_key grouping. */
  stage: string;
}

export type ReplyKind =
  | 'final' // grounded final answer after tool results
  | 'direct' // answered without tools (no_tool)
  | 'clarify' // a clarifying question (ambiguous)
  | 'recover' // graceful recovery after a failed tool call (error)
  | 'decline' // no offered tool can do what is asked: say so and what is missing (irrelevance)
  | 'followup'; // a user's next turn in a multi-turn conversation

export interface LlmProvider {
  /** `offline` or `openai`: part of every cache key and written into metadata. */
  readonly name: 'offline' | 'openai';
  readonly model: string;
  /**
   * How many samples a stage should run at once with this provider (batch mode wants them all at
   * once so that one round of requests fills one batch). Default: generator.concurrency.
   */
  readonly maxParallelSamples?: number;

  /** The user's request for a planned sample (mentions the hinted values unless ambiguous). */
  userRequest(ctx: PlanContext, history?: Message[]): Promise<string>;
  /** Tool calls the assistant makes after `messages` (one per target, with the hinted arguments offline). */
  toolCalls(ctx: PlanContext, messages: Message[]): Promise<ToolCall[]>;
  /**
   * Optional repair: the calls again, corrected, after the model is shown the validation errors of
   * `calls` (one list per call; empty for a valid call). One request; providers whose calls are
   * always valid (offline) leave it out.
   */
  repairCalls?(ctx: PlanContext, messages: Message[], calls: ToolCall[], errors: string[][]): Promise<ToolCall[]>;
  /**
   * A simulated tool result (JSON text; conforms to the outputSchema when the tool has one).
   * `history` is the conversation so far (earlier calls and their results, this call's turn
   * included), so that a read returns what an earlier write created.
   */
  simulateResult(ctx: PlanContext, tool: ToolDef, call: ToolCall, failing: boolean, history?: Message[]): Promise<string>;
  /** An assistant text reply of the given kind, or the user's follow-up for `followup`. */
  reply(ctx: PlanContext, messages: Message[], kind: ReplyKind): Promise<string>;
  /** Rephrase a user turn keeping its meaning and every value it mentions. */
  paraphrase(text: string, seed: number, style: string): Promise<string>;
  /** Judge a sample: score 0..1 and reasons. */
  judge(sample: Sample, tools: ToolDef[]): Promise<{ score: number; reasons: string[] }>;
  /** Usage so far (requests, tokens, dollars) for usage.json. */
  usage(): Usage;
  /** Batch mode: the rounds sent so far, each with its Batch API jobs (one per model), requests and re-sent failed lines. */
  batchRounds?(): BatchRounds | undefined;
  /** Release connections, timers and locks (called once at the end of a stage). */
  close?(): Promise<void>;
}
