// Builds the reply to a validated Chat Completions request: deterministic for a given request body
// (seeded from its canonical hash), valid for the schemas it was given, with OpenAI's response shape
// and usage (estimated tokens, prompt-cache hits, reasoning tokens by effort).
import { resultHintText } from './result-hints';
import { applyBehaviours, type BehaviourCounts, type BehaviourShares } from './behaviours';
import { messageText, type ChatMessage } from './chat-messages';
import type { ChatRequest } from './chat-request';
import { UserHints } from './hints';
import { estimateTokens, type PromptCache } from './prompt-cache';
import { canonicalJson, hash32, Rng } from './rng';
import { textReply } from './text-reply';
import { planToolCalls } from './tool-selection';
import { composeStructured } from './structured-reply';
import { generateValue } from './value-generator';

export interface ToolCallOut {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatChoice {
  index: number;
  message: { role: 'assistant'; content: string | null; refusal: null; annotations: unknown[]; tool_calls?: ToolCallOut[] };
  logprobs: null;
  finish_reason: 'stop' | 'length' | 'tool_calls';
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: ChatChoice[];
  usage: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
    prompt_tokens_details: { cached_tokens: number; audio_tokens: number };
    completion_tokens_details: { reasoning_tokens: number; audio_tokens: number; accepted_prediction_tokens: number; rejected_prediction_tokens: number };
  };
  service_tier: string;
  system_fingerprint: string | null;
}

/** Per-request fault decisions that change the reply itself (status faults are decided before). */
export interface ReplyFaults {
  truncate: boolean;
  malformedArguments: boolean;
  /** Behaviours decided per request content (behaviours.ts), with their counters. */
  behaviours?: BehaviourShares;
  counts?: BehaviourCounts;
}

export interface ReplyContext {
  promptCache: PromptCache;
  faults: ReplyFaults;
  /** Distinguishes the `id` of otherwise identical replies. */
  serial: number;
  nowMs: number;
}

/** Fields that change routing or bookkeeping but not what the model would say. */
const NON_CONTENT_FIELDS = ['stream', 'stream_options', 'prompt_cache_key', 'prompt_cache_retention', 'prompt_cache_options', 'user', 'safety_identifier', 'metadata', 'store', 'service_tier'];

export function requestSeed(body: Record<string, unknown>): number {
  const content = { ...body };
  for (const f of NON_CONTENT_FIELDS) delete content[f];
  return hash32(canonicalJson(content));
}

/** The prompt as the cache sees it: tool definitions and schema first, then the messages. */
export function promptText(req: ChatRequest): string {
  const parts: string[] = [];
  if (req.body.tools) parts.push(JSON.stringify(req.body.tools));
  if (req.body.response_format) parts.push(JSON.stringify(req.body.response_format));
  for (const m of req.messages) {
    parts.push(`<|${m.role}|>${messageText(m)}${m.tool_calls ? JSON.stringify(m.tool_calls) : ''}${m.tool_call_id ?? ''}`);
  }
  return parts.join('\n');
}

function lastUserText(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user') return messageText(messages[i]);
  return '';
}

/** Hints from the user's messages: the last one first, then the earlier ones (latest first). */
function conversationHints(messages: ChatMessage[]): UserHints {
  const texts = messages.filter((m) => m.role === 'user').map(messageText);
  let hints: UserHints | undefined;
  for (const t of texts) hints = new UserHints(t, hints);
  return hints ?? new UserHints('');
}

function reasoningTokens(effort: string | undefined, rng: Rng): number {
  // Reasoning token counts come in multiples of 64 in practice.
  switch (effort) {
    case undefined: case 'minimal': return 0;
    case 'low': return 64 * rng.int(1, 3);
    case 'medium': return 64 * rng.int(3, 9);
    default: return 64 * rng.int(9, 24);
  }
}

/** Breaks a JSON string so that JSON.parse fails, in one of the ways models do. */
function corruptJson(json: string, rng: Rng): string {
  const ways = [
    () => json.slice(0, -1), // missing closing brace
    () => `${json.slice(0, -1)}${json.length > 2 ? ',' : ''}}}`, // trailing comma / extra brace
    () => (json.includes('"') ? json.replace('"', "'") : `${json}}`), // single quotes
  ];
  return rng.pick(ways)();
}

function visibleChars(content: string | null, calls: ToolCallOut[] | undefined): number {
  return (content?.length ?? 0) + (calls ?? []).reduce((n, c) => n + c.function.name.length + c.function.arguments.length, 0);
}

/** Cuts the reply to `chars` visible characters: content first, then tool arguments mid-JSON. */
function cut(message: ChatChoice['message'], chars: number): void {
  if (message.content !== null) message.content = message.content.slice(0, Math.max(0, chars));
  if (!message.tool_calls) return;
  let left = chars;
  const kept: ToolCallOut[] = [];
  for (const call of message.tool_calls) {
    left -= call.function.name.length;
    if (left <= 0) break;
    const args = call.function.arguments;
    kept.push({ ...call, function: { ...call.function, arguments: args.slice(0, Math.min(args.length, left)) } });
    left -= args.length;
  }
  message.tool_calls = kept.length ? kept : undefined;
  if (!message.tool_calls) message.content = '';
}

/** The truncation fault: the reply stops part-way, inside the last tool call's JSON if there is one. */
function truncateAtRandom(message: ChatChoice['message'], fraction: number): void {
  const shorter = (s: string) => s.slice(0, Math.max(0, Math.min(s.length - 1, Math.floor(s.length * fraction))));
  const calls = message.tool_calls;
  if (calls?.length) {
    const last = calls[calls.length - 1];
    last.function.arguments = shorter(last.function.arguments) || last.function.arguments.slice(0, 1);
  } else if (message.content !== null) message.content = shorter(message.content);
}

function buildChoice(req: ChatRequest, index: number, rng: Rng, faults: ReplyFaults): { choice: ChatChoice; completion: number; reasoning: number } {
  const userText = lastUserText(req.messages);
  const hints = conversationHints(req.messages);
  const planned = planToolCalls(req, userText, rng);
  const message: ChatChoice['message'] = { role: 'assistant', content: null, refusal: null, annotations: [] };
  let finish: ChatChoice['finish_reason'] = 'stop';
  if (planned.length) {
    // Each call takes its values from its own part of the request, then from earlier messages.
    const earlier = conversationHints(req.messages.slice(0, req.messages.map((m) => m.role).lastIndexOf('user')));
    // Values the results of earlier calls (after the last user message) give, e.g. the id just created.
    const fromResults = resultHintText(req.messages, planned.map((p) => p.tool));
    message.tool_calls = planned.map(({ tool, scope, previous }, i) => {
      const base = scope === undefined ? hints : new UserHints(scope, earlier);
      // A call made again keeps its own earlier values (those that fit; value-generator corrects the rest).
      const own = previous !== undefined ? new UserHints(previous, base) : fromResults ? new UserHints(fromResults, base) : base;
      const args = generateValue(tool.parameters, { rng: rng.fork(`${tool.name}:${i}`), hints: own, strict: tool.strict, grounded: true });
      return { id: `call_${rng.base62(24)}`, type: 'function', function: { name: tool.name, arguments: JSON.stringify(args) } };
    });
    // Quirk of the real API: a forced (named) tool_choice finishes with "stop".
    finish = req.toolChoice.mode === 'named' ? 'stop' : 'tool_calls';
  } else if (req.responseFormat.type === 'json_schema') {
    const { schema, strict } = req.responseFormat;
    message.content = JSON.stringify(composeStructured(req, schema, strict, rng.fork('compose')) ?? generateValue(schema, { rng, hints, strict }));
  } else if (req.responseFormat.type === 'json_object') {
    message.content = JSON.stringify({ answer: textReply(req.messages, userText, req.verbosity, rng) });
  } else {
    message.content = textReply(req.messages, userText, req.verbosity, rng);
  }

  if (faults.behaviours && message.tool_calls) {
    message.tool_calls = applyBehaviours(message.tool_calls, req.tools, faults.behaviours, requestSeed(req.body) + index, faults.counts);
  }

  if (faults.malformedArguments && message.tool_calls) {
    const strictByName = new Map(req.tools.map((t) => [t.name, t.strict]));
    for (const call of message.tool_calls) {
      if (!strictByName.get(call.function.name)) call.function.arguments = corruptJson(call.function.arguments, rng);
    }
  }

  let reasoning = reasoningTokens(req.reasoningEffort, rng);
  const full = visibleChars(message.content, message.tool_calls);
  const limit = req.maxCompletionTokens;
  if (faults.truncate) {
    truncateAtRandom(message, 0.3 + 0.4 * rng.next());
    finish = 'length';
  } else if (limit !== undefined && reasoning + Math.ceil(full / 4) > limit) {
    // max_completion_tokens covers reasoning too: a small limit can leave nothing visible.
    if (reasoning >= limit) {
      reasoning = limit;
      cut(message, 0);
    } else cut(message, (limit - reasoning) * 4);
    finish = 'length';
  }
  const completion = reasoning + Math.ceil(visibleChars(message.content, message.tool_calls) / 4);
  return { choice: { index, message, logprobs: null, finish_reason: finish }, completion, reasoning };
}

export function buildChatCompletion(req: ChatRequest, ctx: ReplyContext): ChatCompletion {
  const seed = requestSeed(req.body);
  const choices: ChatChoice[] = [];
  let completion = 0;
  let reasoning = 0;
  for (let i = 0; i < req.n; i++) {
    const built = buildChoice(req, i, new Rng(seed).fork(i), ctx.faults);
    choices.push(built.choice);
    completion += built.completion;
    reasoning += built.reasoning;
  }
  const prompt = promptText(req);
  const promptTokens = estimateTokens(prompt);
  const scope = `${typeof req.body.prompt_cache_key === 'string' ? req.body.prompt_cache_key : ''}\u0000${req.modelName}`;
  const cached = ctx.promptCache.lookupAndStore(scope, prompt);
  const tier = req.body.service_tier;
  return {
    id: `chatcmpl-${new Rng(hash32(seed, ctx.serial, ctx.nowMs)).base62(29)}`,
    object: 'chat.completion',
    created: Math.floor(ctx.nowMs / 1000),
    model: req.modelName,
    choices,
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completion,
      total_tokens: promptTokens + completion,
      prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: tier === 'flex' || tier === 'priority' || tier === 'scale' ? tier : 'default',
    system_fingerprint: req.model.kind === 'reasoning' ? null : `fp_${new Rng(hash32(req.model.dated)).hex(10)}`,
  };
}
