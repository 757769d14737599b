// Validates a Chat Completions request body the way the API does and returns it in a form the
// reply builder can use. Every rejection is an ApiError with the API's status, wording, param and code.
import { checkMessages, messageText, type ChatMessage } from './chat-messages';
import { checkParallelToolCalls, checkResponseFormat, checkToolChoice, checkTools, type FunctionTool, type ResponseFormat, type ToolChoice } from './chat-tools';
import { ApiError, invalidRequest, invalidType, modelNotFound, quotedList, unsupportedParameter, unsupportedValue } from './errors';
import { reportedModelName, resolveModel, type ModelInfo } from './models';

export interface ChatRequest {
  body: Record<string, unknown>;
  model: ModelInfo;
  /** `model` as reported back (the dated snapshot). */
  modelName: string;
  messages: ChatMessage[];
  tools: FunctionTool[];
  toolChoice: ToolChoice;
  parallelToolCalls: boolean;
  responseFormat: ResponseFormat;
  /** max_completion_tokens (or max_tokens where the model still accepts it). */
  maxCompletionTokens?: number;
  reasoningEffort?: string;
  verbosity: 'low' | 'medium' | 'high';
  n: number;
  stream: boolean;
  includeUsageInStream: boolean;
}

const KNOWN_PARAMS = new Set([
  'audio', 'frequency_penalty', 'function_call', 'functions', 'logit_bias', 'logprobs', 'max_completion_tokens', 'max_tokens',
  'messages', 'metadata', 'modalities', 'model', 'moderation', 'n', 'parallel_tool_calls', 'prediction', 'presence_penalty',
  'prompt_cache_key', 'prompt_cache_retention', 'prompt_cache_options', 'reasoning_effort', 'response_format', 'safety_identifier',
  'seed', 'service_tier', 'stop', 'store', 'stream', 'stream_options', 'temperature', 'tool_choice', 'tools', 'top_logprobs',
  'top_p', 'user', 'verbosity', 'web_search_options',
]);

/** Parameters GPT-5 reasoning models refuse outright (sampling controls and their relatives). */
const REASONING_UNSUPPORTED = ['top_p', 'presence_penalty', 'frequency_penalty', 'logprobs', 'top_logprobs', 'logit_bias', 'stop'];
const ALL_EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];

const present = (v: unknown) => v !== undefined && v !== null;

function checkRange(body: Record<string, unknown>, param: string, min: number, max: number, integer: boolean): void {
  const v = body[param];
  if (!present(v)) return;
  if (typeof v !== 'number' || (integer && !Number.isInteger(v))) throw invalidType(param, integer ? 'an integer' : 'a decimal', v);
  const kind = integer ? 'integer' : 'decimal';
  if (v < min) throw invalidRequest(`Invalid '${param}': ${kind} below minimum value. Expected a value >= ${min}, but got ${v} instead.`, param, `${kind}_below_min_value`);
  if (v > max) throw invalidRequest(`Invalid '${param}': ${kind} above maximum value. Expected a value <= ${max}, but got ${v} instead.`, param, `${kind}_above_max_value`);
}

function checkReasoningModel(body: Record<string, unknown>, model: ModelInfo): void {
  if (present(body.temperature) && body.temperature !== 1) {
    throw unsupportedValue('temperature', String(body.temperature), 'Only the default (1) value is supported.');
  }
  if (present(body.max_tokens)) throw unsupportedParameter('max_tokens', " Use 'max_completion_tokens' instead.");
  for (const p of REASONING_UNSUPPORTED) {
    if (present(body[p])) throw unsupportedParameter(p);
  }
  const effort = body.reasoning_effort;
  if (present(effort) && !model.efforts!.includes(effort as string)) {
    if (ALL_EFFORTS.includes(effort as string)) {
      throw unsupportedValue('reasoning_effort', `'${effort}'`, `Supported values are: ${quotedList(model.efforts!)}.`);
    }
    throw invalidRequest(`Invalid value: '${String(effort)}'. Supported values are: ${quotedList(model.efforts!)}.`, 'reasoning_effort', 'invalid_value');
  }
}

function checkChatModel(body: Record<string, unknown>): void {
  if (present(body.reasoning_effort)) throw unsupportedParameter('reasoning_effort');
  if (present(body.verbosity) && body.verbosity !== 'medium') {
    throw unsupportedValue('verbosity', `'${String(body.verbosity)}'`, "Supported values are: 'medium'.");
  }
}

export function parseChatRequest(raw: unknown): ChatRequest {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw invalidType('body', 'an object', raw);
  const body = raw as Record<string, unknown>;
  if (!present(body.model)) throw invalidRequest('you must provide a model parameter');
  if (typeof body.model !== 'string') throw invalidType('model', 'a string', body.model);
  const model = resolveModel(body.model);
  if (!model) throw modelNotFound(body.model);
  if (model.kind === 'embedding') {
    throw new ApiError(404, 'This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?', 'invalid_request_error', 'model');
  }
  for (const key of Object.keys(body)) if (!KNOWN_PARAMS.has(key)) throw invalidRequest(`Unrecognized request argument supplied: ${key}`);
  const messages = checkMessages(body.messages);

  if (model.kind === 'reasoning') checkReasoningModel(body, model);
  else checkChatModel(body);
  checkRange(body, 'temperature', 0, 2, false);
  checkRange(body, 'top_p', 0, 1, false);
  checkRange(body, 'presence_penalty', -2, 2, false);
  checkRange(body, 'frequency_penalty', -2, 2, false);
  checkRange(body, 'n', 1, 128, true);
  checkRange(body, 'max_completion_tokens', 1, 1_000_000, true);
  checkRange(body, 'max_tokens', 1, 1_000_000, true);
  if (present(body.verbosity) && !['low', 'medium', 'high'].includes(body.verbosity as string)) {
    throw invalidRequest(`Invalid value: '${String(body.verbosity)}'. Supported values are: 'low', 'medium', and 'high'.`, 'verbosity', 'invalid_value');
  }

  const hasAnyTools = Array.isArray(body.tools) && body.tools.length > 0;
  const tools = checkTools(body.tools);
  const toolChoice = checkToolChoice(body.tool_choice, tools, hasAnyTools);
  const parallelToolCalls = checkParallelToolCalls(body.parallel_tool_calls, hasAnyTools);
  const responseFormat = checkResponseFormat(body.response_format, messages.map(messageText).join('\n'));
  const limit = body.max_completion_tokens ?? body.max_tokens;
  const streamOptions = body.stream_options as { include_usage?: unknown } | undefined;
  return {
    body,
    model,
    modelName: reportedModelName(body.model, model),
    messages,
    tools,
    toolChoice,
    parallelToolCalls,
    responseFormat,
    maxCompletionTokens: typeof limit === 'number' ? limit : undefined,
    reasoningEffort: model.kind === 'reasoning' ? ((body.reasoning_effort as string | undefined) ?? 'medium') : undefined,
    verbosity: (body.verbosity as ChatRequest['verbosity']) ?? 'medium',
    n: typeof body.n === 'number' ? body.n : 1,
    stream: body.stream === true,
    includeUsageInStream: streamOptions?.include_usage === true,
  };
}
