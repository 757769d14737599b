// Usage and cost of one provider instance, and the budget guard. Before a request is sent its worst
// case is reserved (prompt chars / 4 at the input price + max_completion_tokens at the output price);
// if that could take the build past budget.maxUsd the request is not sent. Batch requests cost half.
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { Usage } from '../../types';
import { emptyUsage } from '../../types';
import { ForgeError } from '../../errors';
import { addUsage, costUsd, priceFor, type ModelPrice } from '../pricing';

export interface MeterOptions {
  pricing: Record<string, ModelPrice>;
  maxUsd?: number;
  /** Dollars spent by earlier stages of this build. */
  spentBefore: number;
}

const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;

export class UsageMeter {
  private total: Usage = emptyUsage();
  private reserved = 0;

  constructor(private readonly opts: MeterOptions) {}

  usage(): Usage {
    return { ...this.total };
  }

  /** Worst-case cost of a request before it is sent. */
  estimateUsd(body: ChatCompletionCreateParamsNonStreaming, batch: boolean): number {
    const price = priceFor(body.model, this.opts.pricing);
    const promptTokens = Math.ceil(JSON.stringify(body.messages).length / 4 + JSON.stringify(body.tools ?? []).length / 4 + JSON.stringify(body.response_format ?? {}).length / 4);
    const completionTokens = body.max_completion_tokens ?? 4096;
    return costUsd(price, { promptTokens, cachedTokens: 0, completionTokens }, batch);
  }

  /** Reserves the request's worst case; throws BUDGET when it could exceed budget.maxUsd. Returns the release. */
  reserve(body: ChatCompletionCreateParamsNonStreaming, batch: boolean): () => void {
    const max = this.opts.maxUsd;
    if (max === undefined) return () => undefined;
    const estimate = this.estimateUsd(body, batch);
    const spent = this.opts.spentBefore + this.total.usd;
    if (spent + this.reserved + estimate > max) {
      throw new ForgeError(
        'BUDGET',
        `budget.maxUsd ${usd(max)} would be exceeded: spent ${usd(spent)} so far${this.reserved ? ` (+${usd(this.reserved)} in flight)` : ''}, and the next request may cost up to ${usd(estimate)}.`,
        'Raise budget.maxUsd in forge.yaml, or lower samples / augmentation.factor. Completed requests are cached: running the same command again continues where this stopped.',
      );
    }
    this.reserved += estimate;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.reserved -= estimate;
    };
  }

  /** Adds a response's usage (tokens and dollars; half price for batch). */
  record(model: string, completion: Pick<ChatCompletion, 'usage'>, batch: boolean): void {
    const u = completion.usage;
    const problems: string[] = [];
    const count = (field: string, v: unknown) => validTokenCount(field, v, problems);
    const promptTokens = count('prompt_tokens', u?.prompt_tokens);
    const tokens = {
      promptTokens,
      cachedTokens: Math.min(promptTokens, count('prompt_tokens_details.cached_tokens', u?.prompt_tokens_details?.cached_tokens)),
      completionTokens: count('completion_tokens', u?.completion_tokens),
    };
    const reasoningTokens = count('completion_tokens_details.reasoning_tokens', u?.completion_tokens_details?.reasoning_tokens);
    // A gateway reporting negative or absurd counts would make spend go down: budget.maxUsd could never trip.
    if (problems.length && this.opts.maxUsd !== undefined) {
      throw new ForgeError(
        'BUDGET',
        `The model endpoint reported impossible token usage for ${model}: ${problems.join(', ')}; budget.maxUsd ${usd(this.opts.maxUsd)} cannot be enforced on counts like these, so the build stopped.`,
        'Check the endpoint or gateway at generator.baseURL / OPENAI_BASE_URL: usage counts must be whole numbers from 0 to 100000000. Completed requests are cached.',
      );
    }
    this.total = addUsage(this.total, {
      requests: 1,
      ...tokens,
      reasoningTokens,
      usd: costUsd(priceFor(model, this.opts.pricing), tokens, batch),
    });
  }

  cacheHit(): void {
    this.total = addUsage(this.total, { cacheHits: 1 });
  }
}

/** Most tokens one request can plausibly report (context windows are at most a few million). */
export const MAX_TOKENS_PER_REQUEST = 100_000_000;

/** A reported token count, or 0 (with a problem noted) when it is negative, fractional, not a number or absurd. */
function validTokenCount(field: string, v: unknown, problems: string[]): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_TOKENS_PER_REQUEST) return v;
  problems.push(`${field} = ${JSON.stringify(v)}`);
  return 0;
}
