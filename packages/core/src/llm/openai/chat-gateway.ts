// Every chat completion the provider needs goes through `ChatGateway.complete`:
//   dry run? -> request cache (content hash of the body) -> budget reservation -> batch queue or
//   transport (the one place with retries) -> usage -> request cache.
// Identical requests in flight at the same time are sent once.
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { ForgeError } from '../../errors';
import { requestKey, type RequestCache } from '../request-cache';
import type { Transport } from './transport';
import type { UsageMeter } from './usage-meter';
import type { BatchQueue } from './batch/batch-queue';

export interface GatewayOptions {
  baseURL: string;
  cache: RequestCache;
  meter: UsageMeter;
  transport: Transport;
  /** Batch mode: requests are collected into Batch API jobs instead of being sent one by one. */
  batch?: BatchQueue;
  dryRun?: boolean;
}

export class ChatGateway {
  private readonly inFlight = new Map<string, Promise<ChatCompletion>>();

  constructor(private readonly opts: GatewayOptions) {}

  keyOf(body: ChatCompletionCreateParamsNonStreaming): string {
    return requestKey({ provider: 'openai', baseURL: this.opts.baseURL, body });
  }

  async complete(body: ChatCompletionCreateParamsNonStreaming): Promise<ChatCompletion> {
    if (this.opts.dryRun) {
      throw new ForgeError('INPUT', 'Dry run: no model request is made (the plan and the estimate are printed instead).');
    }
    const key = this.keyOf(body);
    const running = this.inFlight.get(key);
    if (running) {
      const result = await running;
      this.opts.meter.cacheHit();
      return result;
    }
    const promise = this.fetch(key, body);
    this.inFlight.set(key, promise);
    try {
      return await promise;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async fetch(key: string, body: ChatCompletionCreateParamsNonStreaming): Promise<ChatCompletion> {
    const { cache, meter, transport, batch } = this.opts;
    // While this request looks in the cache, a batch must not be cut without it.
    const hold = batch?.hold();
    let fromCache: ChatCompletion | undefined;
    try {
      fromCache = await cache.get<ChatCompletion>(key);
    } finally {
      if (fromCache) hold?.();
    }
    if (fromCache) {
      meter.cacheHit();
      return fromCache;
    }
    let release: () => void = () => undefined;
    try {
      release = meter.reserve(body, !!batch);
    } catch (err) {
      hold?.();
      throw err;
    }
    try {
      if (batch) {
        // Every batch request is answered by a batch (failed lines go into the next round): batch price.
        const completion = await batch.submit(key, body, hold);
        meter.record(body.model, completion, true);
        return completion;
      }
      const completion = await transport.chat(body);
      meter.record(body.model, completion, false);
      await cache.put(key, completion, { model: body.model });
      return completion;
    } finally {
      release();
    }
  }
}
