// One chat completion from a raw body: validation and reply building, shared by the synchronous
// endpoint and batch lines. Status faults (429/500) are decided by the caller; reply faults here.
import { buildChatCompletion, type ChatCompletion } from './chat-completion';
import { parseChatRequest, type ChatRequest } from './chat-request';
import { ApiError, type OpenAIErrorBody } from './errors';
import type { FaultDecision } from './faults';
import type { ServerState } from './server-state';
import { oracleCompletion } from './eval-oracle';

export type ChatOutcome =
  | { ok: true; request: ChatRequest; completion: ChatCompletion }
  | { ok: false; status: number; body: OpenAIErrorBody };

export function runChat(state: ServerState, raw: unknown, decision: FaultDecision): ChatOutcome {
  let request: ChatRequest;
  try {
    request = parseChatRequest(raw);
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, status: err.status, body: err.body() };
    throw err;
  }
  // Evaluation mode: a conversation from the loaded truth file gets its expected (or broken) answer.
  const oracle = state.evalOracle?.reply(String(request.body.model), request.messages);
  if (oracle) return { ok: true, request, completion: oracleCompletion(request, oracle, state.serial++, state.now()) };
  const completion = buildChatCompletion(request, {
    promptCache: state.promptCache,
    faults: {
      truncate: decision.truncation,
      malformedArguments: decision.malformedArguments,
      behaviours: { seed: state.faults.seed, refuseParallel: state.faults.refuseParallel, violateMaxLength: state.faults.violateMaxLength },
      counts: state.stats.data.faults,
    },
    serial: state.serial++,
    nowMs: state.now(),
  });
  const f = state.stats.data.faults;
  if (decision.truncation) f.truncation++;
  const nonStrict = new Set(request.tools.filter((t) => !t.strict).map((t) => t.name));
  if (decision.malformedArguments && completion.choices.some((c) => c.message.tool_calls?.some((t) => nonStrict.has(t.function.name)))) {
    f.malformedArguments++;
  }
  return { ok: true, request, completion };
}
