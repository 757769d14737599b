// The `openai` provider: every turn of a sample from the Chat Completions API (OpenAI or any
// compatible server). Tool calls use function tools (strict where the schema allows); every other
// text is a structured output. Requests go through the gateway: request cache, budget, batch or
// transport (retries, limits). See SPEC §4.
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { LlmProvider, PlanContext, ReplyKind } from '../provider';
import type { ProviderOptions } from '../index';
import type { Message, Sample, ToolCall, ToolDef, Usage } from '../../types';
import { consoleLogger, type Logger } from '../../util/log';
import { augmentationModel, completionBudget, modelParams, promptCacheKey, type RequestKind } from './model-params';
import { prompt, systemPrompt } from './prompts';
import { judgePrompt, paraphrasePrompt, replyPrompt, simulatePrompt, userRequestPrompt } from './sample-prompts';
import { firstChoice, MESSAGE_OUTPUT, OutputError, readMessage, readStructured, responseFormat, type OutputSpec } from './structured';
import { functionSpec, readToolCalls, type FunctionSpec } from './tool-functions';
import { toChatMessages } from './messages';
import { resultSpec, readResult, JUDGE_OUTPUT, readVerdict } from './outputs';
import { buildClient, type Client } from './client';
import type { BatchRounds } from './batch/batch-queue';
import { concurrencyCap } from '../limiter';

export interface OpenAIProviderDeps {
  /** Where batch progress goes (default: the console). */
  log?: Logger;
}

/** Samples per stage at once in batch mode: all of them, so that one round of requests fills one batch. */
export const ALL_AT_ONCE = 1_000_000;

export class OpenAIProvider implements LlmProvider {
  readonly name = 'openai' as const;
  readonly model: string;
  /** Model of the simple requests (paraphrase, simulated result): augmentation.model in the augment stage. */
  private readonly simpleModel: string;
  readonly maxParallelSamples?: number;
  private readonly client: Client;

  constructor(
    private readonly opts: ProviderOptions,
    deps: OpenAIProviderDeps = {},
  ) {
    this.model = opts.model ?? opts.cfg.generator.model;
    this.simpleModel = opts.stage === 'augment' && !opts.model ? augmentationModel(opts.cfg) : this.model;
    // Batch mode: every sample at once (one round fills one batch). Otherwise as many samples as the
    // endpoint's adaptive window may need (generator.concurrency, AUTO_CAP for auto).
    this.maxParallelSamples = opts.cfg.generator.batch ? ALL_AT_ONCE : concurrencyCap(opts.cfg.generator.concurrency);
    this.client = buildClient(opts, (m) => (deps.log ?? consoleLogger).info(m));
  }

  private body(part: string, tools: ToolDef[], messages: ChatCompletionMessageParam[], extra: Partial<ChatCompletionCreateParamsNonStreaming>, maxTokens?: number, model = this.model): ChatCompletionCreateParamsNonStreaming {
    const { dataset, stage, cfg } = this.opts;
    return {
      ...modelParams(cfg.generator, model, maxTokens),
      messages,
      ...extra,
      prompt_cache_key: promptCacheKey(dataset, stage, part, ...tools.map((t) => t.name)),
    };
  }

  /**
   * Sends the request built for the budget of its kind and reads the reply; a reply cut short at that
   * budget is asked again once with the full generator.maxCompletionTokens (whose failure then stands).
   */
  private async sized<T>(kind: RequestKind, build: (maxTokens: number) => ChatCompletionCreateParamsNonStreaming, read: (completion: ChatCompletion, max: number) => T, model = this.model): Promise<T> {
    const full = this.opts.cfg.generator.maxCompletionTokens;
    const budget = completionBudget(this.opts.cfg.generator, model, kind);
    try {
      return read(await this.client.gateway.complete(build(budget)), budget);
    } catch (err) {
      if (!(err instanceof OutputError && err.reason === 'truncated') || budget >= full) throw err;
      return read(await this.client.gateway.complete(build(full)), full);
    }
  }

  /** A structured-output request: static system prompt (+ tools), then the per-sample part. */
  private structured<T>(kind: RequestKind, part: string, instructions: string, tools: ToolDef[], perSample: string, output: OutputSpec, read: (completion: ChatCompletion, max: number) => T): Promise<T> {
    // Paraphrases and simulated results are simple and many: augmentation.model in the augment stage.
    const model = kind === 'paraphrase' || kind === 'result' || kind === 'fail' ? this.simpleModel : this.model;
    const build = (maxTokens: number) =>
      this.body(
        part,
        tools,
        [
          { role: 'system', content: systemPrompt(instructions, tools) },
          { role: 'user', content: perSample },
        ],
        { response_format: responseFormat(output) },
        maxTokens,
        model,
      );
    return this.sized(kind, build, read, model);
  }

  async userRequest(ctx: PlanContext, history: Message[] = []): Promise<string> {
    return this.structured('user', 'user', prompt('user-request'), ctx.targets, userRequestPrompt(ctx, history), { ...MESSAGE_OUTPUT, name: 'user_message' }, readMessage);
  }

  async reply(ctx: PlanContext, messages: Message[], kind: ReplyKind): Promise<string> {
    // Declining: the assistant knows only the tools it is offered (the missing one is named in the prompt).
    const tools = kind === 'decline' ? ctx.tools : ctx.targets;
    return this.structured('reply', `reply-${kind}`, prompt('reply'), tools, replyPrompt(ctx, messages, kind), { ...MESSAGE_OUTPUT, name: `${kind}_turn` }, readMessage);
  }

  async paraphrase(text: string, seed: number, style: string): Promise<string> {
    return this.structured('paraphrase', 'paraphrase', prompt('paraphrase'), [], paraphrasePrompt(text, seed, style), { ...MESSAGE_OUTPUT, name: 'paraphrase' }, readMessage);
  }

  async simulateResult(ctx: PlanContext, tool: ToolDef, call: ToolCall, failing: boolean, history?: Message[]): Promise<string> {
    const spec = resultSpec(tool, failing);
    const part = failing ? 'fail' : 'result';
    return this.structured(part, part, prompt('simulate-result'), [tool], simulatePrompt(ctx, tool, call.arguments, failing, history), spec.output, (completion, max) => readResult(readStructured(completion, spec.output, max, spec.original), spec));
  }

  async judge(sample: Sample, tools: ToolDef[]): Promise<{ score: number; reasons: string[] }> {
    // The sample's own tools (its planned targets too: a no_tool sample is judged against the tool it
    // is about), not every offered tool, so that a change to another tool's schema keeps this cached.
    const planned = Array.isArray(sample.meta.targets) ? (sample.meta.targets as unknown[]).filter((n): n is string => typeof n === 'string') : [];
    const used = new Set<string>([...(sample.tool_name ? [sample.tool_name] : []), ...planned, ...sample.messages.flatMap((m) => (m.tool_calls ?? []).map((c) => c.name))]);
    const shown = tools.filter((t) => used.has(t.name));
    return this.structured('judge', 'judge', prompt('judge'), shown, judgePrompt(sample), JUDGE_OUTPUT, (completion, max) => readVerdict(readStructured(completion, JUDGE_OUTPUT, max)));
  }

  async toolCalls(ctx: PlanContext, messages: Message[]): Promise<ToolCall[]> {
    return this.callRequest('call', ctx, messages);
  }

  /**
   * Repair: one follow-up request in the same conversation. The calls as returned, then for each a
   * tool message with its validation errors (ajv's messages) or "valid", and the request to call again
   * with corrected arguments. A normal generation request (cached, batched, metered like any other).
   */
  async repairCalls(ctx: PlanContext, messages: Message[], calls: ToolCall[], errors: string[][]): Promise<ToolCall[]> {
    const ids = calls.map((c, i) => c.id || `call_${i}`);
    const shown: Message[] = [
      ...messages,
      { role: 'assistant', content: null, tool_calls: calls.map((c, i) => ({ ...c, id: ids[i] })) },
      ...calls.map((c, i): Message => ({
        role: 'tool',
        tool_call_id: ids[i],
        name: c.name,
        content: errors[i]?.length
          ? `Error: the arguments of ${c.name} do not validate against its schema: ${errors[i].join('; ')}. Call ${c.name} again with corrected arguments (same intent, values that satisfy every constraint).`
          : `The arguments of ${c.name} are valid; repeat this call unchanged.`,
      })),
    ];
    return this.callRequest('repair', ctx, shown);
  }

  private async callRequest(part: string, ctx: PlanContext, messages: Message[]): Promise<ToolCall[]> {
    // The targets, plus tools called earlier in the conversation (their calls are in the history).
    const offered = new Map(ctx.tools.map((t) => [t.name, t]));
    const inHistory = messages.flatMap((m) => (m.tool_calls ?? []).map((c) => offered.get(c.name) ?? ctx.targets.find((t) => t.name === c.name))).filter((t): t is ToolDef => !!t);
    const tools = [...new Map([...ctx.targets, ...inHistory].map((t) => [t.name, t])).values()];
    const specs = tools.map(functionSpec);
    const targets = ctx.targets.map(functionSpec);
    const several = targets.length > 1;
    const build = (maxTokens: number) =>
      this.body(
        part,
        ctx.targets,
        [{ role: 'system', content: prompt('tool-call') }, ...toChatMessages(messages, tools)],
        {
          tools: specs.map((s) => s.definition),
          tool_choice: several ? 'required' : { type: 'function', function: { name: targets[0].fnName } },
          // One wanted call: no parallel calls (strict schemas are only guaranteed without them).
          parallel_tool_calls: several,
        },
        maxTokens,
      );
    return this.sized('call', build, (completion, max) => {
      const choice = firstChoice(completion, max);
      const calls = readToolCalls(choice.message, new Map<string, FunctionSpec>(specs.map((s) => [s.fnName, s])));
      if (!calls.length) throw new OutputError('no_tool_call', `the model answered with text instead of calling ${targets.map((t) => t.tool.name).join(', ')}`);
      return calls;
    });
  }

  usage(): Usage {
    return this.client.meter.usage();
  }

  /** Batch mode: the rounds this stage sent (Batch API jobs, requests, models, re-sent lines of each). */
  batchRounds(): BatchRounds | undefined {
    return this.client.batch?.report;
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
