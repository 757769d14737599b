// Runs a model over the truth rows: for every scored turn, the conversation before it and the row's
// offered tools go to the endpoint through the project's client (request cache, concurrency,
// retries); the calls that come back (native tool_calls, or `<tool_call>` blocks in the text of a
// model served without a tool parser) are checked against the turn's truth.
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ForgeConfig } from '../config/types';
import { describeError, stopsBuild } from '../errors';
import { withDefaults } from '../config/defaults';
import { parseToolCallBlocks } from '../formats/tool-call-blocks';
import { buildClient } from '../llm/openai/client';
import { concurrencyCap } from '../llm/limiter';
import { isReasoningModel } from '../llm/openai/model-params';
import type { Message } from '../types';
import { mapPool } from '../util/pool';
import type { Logger } from '../util/log';
import { checkTurn } from './checker';
import { parsePyJson } from './py-value';
import { aggregate } from './score';
import type { ActualCall, FunctionDoc, ModelEval, RowResult, TruthRow, TurnResult } from './types';

export interface EndpointOptions {
  /** OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp server); default OPENAI_BASE_URL, then OpenAI. */
  baseURL?: string;
  env: NodeJS.ProcessEnv;
  /** Workspace root: the request cache lives in <root>/.forge/cache (FORGE_CACHE_DIR moves it). */
  root: string;
  concurrency?: number;
  maxRetries?: number;
  timeoutMs?: number;
  maxCompletionTokens?: number;
  log: Logger;
}

/** A function name the Chat Completions API accepts (`^[a-zA-Z0-9_-]{1,64}$`). */
const apiFunctionName = (name: string) => name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);

function chatMessages(messages: Message[]): ChatCompletionMessageParam[] {
  return messages.map((m, i): ChatCompletionMessageParam => {
    if (m.role === 'tool') return { role: 'tool', tool_call_id: m.tool_call_id ?? `call_${i}`, content: m.content ?? '' };
    if (m.role === 'assistant') {
      if (!m.tool_calls?.length) return { role: 'assistant', content: m.content ?? '' };
      return {
        role: 'assistant',
        content: m.content ?? null,
        tool_calls: m.tool_calls.map((c, j) => ({
          id: c.id || `call_${i}_${j}`,
          type: 'function' as const,
          function: { name: apiFunctionName(c.name), arguments: c.arguments === undefined ? (c.raw ?? '{}') : JSON.stringify(c.arguments) },
        })),
      };
    }
    return { role: m.role, content: m.content ?? '' };
  });
}

/** The request for one scored turn. */
export function turnRequest(row: TruthRow, at: number, model: string, maxCompletionTokens: number): ChatCompletionCreateParamsNonStreaming {
  const body: ChatCompletionCreateParamsNonStreaming = {
    model,
    messages: chatMessages(row.messages.slice(0, at)),
    max_completion_tokens: maxCompletionTokens,
  };
  if (row.functions.length) {
    body.tools = row.functions.map((f) => ({ type: 'function' as const, function: { name: apiFunctionName(f.name), description: f.description ?? '', parameters: f.parameters } }));
  }
  // Scores should not depend on sampling: greedy where the model takes a temperature.
  if (!isReasoningModel(model)) body.temperature = 0;
  return body;
}

/** The calls in a reply, under the offered functions' own names. */
export function replyCalls(completion: ChatCompletion, functions: FunctionDoc[]): { calls: ActualCall[]; text: string } {
  const byApiName = new Map(functions.map((f) => [apiFunctionName(f.name), f.name]));
  const own = (name: string) => (functions.some((f) => f.name === name) ? name : (byApiName.get(name) ?? name));
  const message = completion.choices[0]?.message;
  const native = (message?.tool_calls ?? []).flatMap((c) => (c.type === 'function' ? [c.function] : []));
  const content = message?.content ?? '';
  if (native.length) {
    return {
      text: content,
      calls: native.map((f) => {
        try {
          return { name: own(f.name), arguments: parsePyJson(f.arguments) };
        } catch {
          return { name: own(f.name), arguments: undefined, raw: f.arguments };
        }
      }),
    };
  }
  if (content.includes('<tool_call>')) {
    const parsed = parseToolCallBlocks(content);
    return { text: parsed.text, calls: parsed.calls.map((c) => ({ name: own(c.name), arguments: c.arguments, ...(c.raw ? { raw: c.raw } : {}) })) };
  }
  return { text: content, calls: [] };
}

function clientConfig(opts: EndpointOptions): ForgeConfig {
  const cfg = withDefaults<ForgeConfig>({});
  cfg.generator = {
    ...cfg.generator,
    provider: 'openai',
    baseURL: opts.baseURL,
    batch: false,
    concurrency: opts.concurrency ?? cfg.generator.concurrency,
    maxRetries: opts.maxRetries ?? cfg.generator.maxRetries,
    timeoutMs: opts.timeoutMs ?? cfg.generator.timeoutMs,
  };
  return cfg;
}

/** Scores one model over the rows. */
export async function evaluateModel(rows: TruthRow[], model: string, opts: EndpointOptions): Promise<ModelEval> {
  const cfg = clientConfig(opts);
  const client = buildClient({ cfg, resolved: 'openai', env: opts.env, stage: 'evaluate', dataset: 'evaluate', root: opts.root }, (m) => opts.log.info(m));
  const maxTokens = opts.maxCompletionTokens ?? cfg.generator.maxCompletionTokens;
  const total = rows.reduce((n, r) => n + r.turns.length, 0);
  let done = 0;
  try {
    const results = await mapPool(rows, concurrencyCap(cfg.generator.concurrency), async (row): Promise<RowResult> => {
      const turns = await Promise.all(
        row.turns.map(async (turn): Promise<TurnResult> => {
          let completion: ChatCompletion;
          try {
            completion = await client.gateway.complete(turnRequest(row, turn.at, model, maxTokens));
          } catch (err) {
            // A reply that could not be used (truncated, malformed) fails the turn; anything else
            // (endpoint down, key, quota, bad request) stops the evaluation.
            if (stopsBuild(err)) throw err;
            opts.log.progress?.(`evaluate ${model}`, ++done, total);
            return { at: turn.at, verdict: { valid: false, reasons: ['request_failed'] }, expected: turn.calls, calls: [], text: describeError(err).slice(0, 300) };
          }
          const { calls, text } = replyCalls(completion, row.functions);
          opts.log.progress?.(`evaluate ${model}`, ++done, total);
          const verdict = checkTurn(row.functions, calls, turn.calls);
          return { at: turn.at, verdict, expected: turn.calls, calls, ...(calls.length === 0 ? { text: text.slice(0, 300) } : {}) };
        }),
      );
      const reasons = turns.flatMap((t) => t.verdict.reasons);
      return { id: row.id, category: row.category, valid: turns.every((t) => t.verdict.valid), reasons, turns };
    });
    const usage = client.meter.usage();
    return {
      model,
      baseURL: client.baseURL,
      ...aggregate(results),
      rows: results,
      usage: { requests: usage.requests, cacheHits: usage.cacheHits, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, usd: usage.usd },
    };
  } finally {
    client.close();
  }
}
