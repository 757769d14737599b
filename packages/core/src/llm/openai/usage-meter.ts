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
    const tokens = {
      promptTokens: u?.prompt_tokens ?? 0,
      cachedTokens: u?.prompt_tokens_details?.cached_tokens ?? 0,
      completionTokens: u?.completion_tokens ?? 0,
    };
    this.total = addUsage(this.total, {
      requests: 1,
      ...tokens,
      reasoningTokens: u?.completion_tokens_details?.reasoning_tokens ?? 0,
      usd: costUsd(priceFor(model, this.opts.pricing), tokens, batch),
    });
  }

  cacheHit(): void {
    this.total = addUsage(this.total, { cacheHits: 1 });
  }
}
