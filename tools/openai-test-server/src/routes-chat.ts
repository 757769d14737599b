// POST /v1/chat/completions, POST /v1/embeddings and GET /v1/models: the real rpm/tpm limiter and
// the status faults run first, then the endpoint logic. Every reply carries x-ratelimit-* headers.
import { runChat } from './chat-service';
import { completionEvents } from './chat-stream';
import { createEmbeddings } from './embeddings';
import { ApiError, insufficientQuota, modelNotFound, serverError } from './errors';
import { decideFaults, type FaultDecision } from './faults';
import { errorReply, parseJson } from './http';
import { MODELS, resolveModel } from './models';
import { goDuration } from './rate-limit';
import type { Route, RouteContext } from './routes';
import type { Reply, ServerState } from './server-state';

function estimateRequestTokens(body: Record<string, unknown>): number {
  const text = JSON.stringify(body.messages ?? body.input ?? '');
  const limit = body.max_completion_tokens ?? body.max_tokens;
  return Math.ceil(text.length / 4) + (typeof limit === 'number' ? limit : 0);
}

/** retry-after-ms and retry-after, retry-after alone (whole seconds), or neither, as the server is configured. */
function retryHints(mode: ServerState['retryAfter'], ms: number): Record<string, string> {
  if (mode === 'none') return {};
  const seconds = { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))) };
  return mode === 'seconds' ? seconds : { ...seconds, 'retry-after-ms': String(Math.ceil(ms)) };
}

function rateLimitReply(
  state: ServerState,
  kind: 'requests' | 'tokens',
  info: { limit: number; used: number; requested: number; retryAfterMs: number; quantum?: { limit: number; used: number; ms: number } },
  model: string | undefined,
): Reply {
  const unit = kind === 'requests' ? 'requests per min (RPM)' : 'tokens per min (TPM)';
  const q = info.quantum;
  const usedText = q ? `Used ${info.used} (enforced as ${q.limit} per ${goDuration(q.ms)}, ${q.used} used)` : `Used ${info.used}`;
  const message = `Rate limit reached for ${model ?? 'this model'} in organization org-test on ${unit}: Limit ${info.limit}, ${usedText}, Requested ${info.requested}. Please try again in ${goDuration(info.retryAfterMs)}. Visit https://platform.openai.com/account/rate-limits to learn more.`;
  const headers = {
    ...state.limiter.headers(state.now()),
    [`x-ratelimit-remaining-${kind}`]: '0',
    [`x-ratelimit-reset-${kind}`]: goDuration(info.retryAfterMs),
    ...retryHints(state.retryAfter, info.retryAfterMs),
  };
  return errorReply(new ApiError(429, message, kind, null, 'rate_limit_exceeded', headers), model);
}

/** The real limiter, then the injected status faults; returns a reply when the request stops here. */
function gate(state: ServerState, body: Record<string, unknown>, model: string | undefined): { reply: Reply } | { decision: FaultDecision } {
  const now = state.now();
  const tokens = estimateRequestTokens(body);
  const admitted = state.limiter.admit(tokens, now);
  if (!admitted.ok) {
    state.stats.data.rateLimited[admitted.kind]++;
    return { reply: rateLimitReply(state, admitted.kind, { ...admitted, requested: admitted.kind === 'requests' ? 1 : tokens }, model) };
  }
  state.stats.data.rateLimited.counted += tokens;
  const decision = decideFaults(state.faults, state.faultCounter++);
  const f = state.stats.data.faults;
  if (decision.insufficientQuota) {
    f.insufficientQuota++;
    return { reply: errorReply(insufficientQuota(), model) };
  }
  if (decision.rateLimit) {
    f.rateLimit++;
    const limit = state.limiter.limits.rpm ?? 10_000;
    return { reply: rateLimitReply(state, 'requests', { limit, used: limit, requested: 1, retryAfterMs: state.faults.retryAfterMs }, model) };
  }
  if (decision.serverError) {
    f.serverError++;
    return { reply: errorReply(serverError(), model) };
  }
  return { decision };
}

/** The parsed body, and the same as a record for the limiter (an invalid body is rejected later). */
async function readJson(ctx: RouteContext): Promise<{ raw: unknown; fields: Record<string, unknown> }> {
  const raw = parseJson(await ctx.body());
  return { raw, fields: raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {} };
}

async function chatCompletions(ctx: RouteContext): Promise<Reply> {
  const { state } = ctx;
  const { raw, fields } = await readJson(ctx);
  const model = typeof fields.model === 'string' ? fields.model : undefined;
  const gated = gate(state, fields, model);
  if ('reply' in gated) return gated.reply;
  const headers = state.limiter.headers(state.now());
  const outcome = runChat(state, raw, gated.decision);
  if (!outcome.ok) return { status: outcome.status, body: outcome.body, headers, model };
  state.stats.addTokens(state.stats.data.tokens, outcome.completion.usage);
  if (outcome.request.stream) return { status: 200, events: completionEvents(outcome.completion, outcome.request.includeUsageInStream), headers, model };
  return { status: 200, body: outcome.completion, headers, model };
}

async function embeddings(ctx: RouteContext): Promise<Reply> {
  const { state } = ctx;
  const { raw, fields } = await readJson(ctx);
  const model = typeof fields.model === 'string' ? fields.model : undefined;
  const gated = gate(state, fields, model);
  if ('reply' in gated) return gated.reply;
  return { status: 200, body: createEmbeddings(raw), headers: state.limiter.headers(state.now()), model };
}

const modelObject = (m: (typeof MODELS)[number]) => ({ id: m.id, object: 'model', created: m.created, owned_by: 'system' });

export const chatRoutes: Route[] = [
  { method: 'POST', pattern: /^\/v1\/chat\/completions$/, endpoint: 'POST /v1/chat/completions', handle: chatCompletions },
  { method: 'POST', pattern: /^\/v1\/embeddings$/, endpoint: 'POST /v1/embeddings', handle: embeddings },
  { method: 'GET', pattern: /^\/v1\/models$/, endpoint: 'GET /v1/models', handle: () => ({ status: 200, body: { object: 'list', data: MODELS.map(modelObject) } }) },
  {
    method: 'GET',
    pattern: /^\/v1\/models\/([^/]+)$/,
    endpoint: 'GET /v1/models/{id}',
    handle: (ctx) => {
      const m = resolveModel(decodeURIComponent(ctx.params[0]));
      if (!m) throw modelNotFound(decodeURIComponent(ctx.params[0]));
      return { status: 200, body: modelObject(m) };
    },
  },
];

/** Batch lines: same logic, no rate limit; only the 500 fault applies as a status fault. */
export function runBatchLine(state: ServerState, endpoint: string, body: Record<string, unknown>, key: string): { status: number; body: unknown } {
  const decision = decideFaults(state.faults, key);
  if (decision.serverError) {
    state.stats.data.faults.serverError++;
    return { status: 500, body: serverError().body() };
  }
  if (endpoint === '/v1/embeddings') {
    try {
      return { status: 200, body: createEmbeddings(body) };
    } catch (err) {
      if (err instanceof ApiError) return { status: err.status, body: err.body() };
      throw err;
    }
  }
  const outcome = runChat(state, body, decision);
  if (!outcome.ok) return { status: outcome.status, body: outcome.body };
  state.stats.addTokens(state.stats.data.tokens, outcome.completion.usage);
  return { status: 200, body: outcome.completion };
}
