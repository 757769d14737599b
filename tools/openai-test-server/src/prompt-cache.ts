// Prompt caching as OpenAI reports it: prompts of 1024 tokens or more are cached in 128-token
// blocks, and a later prompt that starts with a seen prefix reports that prefix as `cached_tokens`.
// Scoped per (prompt_cache_key, model). Token positions are estimated at 4 characters per token.
import { createHash } from 'node:crypto';

export const CHARS_PER_TOKEN = 4;
export const CACHE_MIN_TOKENS = 1024;
export const CACHE_BLOCK_TOKENS = 128;
const MAX_ENTRIES = 500_000;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export class PromptCache {
  private readonly seen = new Set<string>();

  /** Cached tokens for `prompt` under `scope`; remembers the prompt's blocks for later requests. */
  lookupAndStore(scope: string, prompt: string): number {
    const tokens = estimateTokens(prompt);
    if (tokens < CACHE_MIN_TOKENS) return 0;
    const blockChars = CACHE_BLOCK_TOKENS * CHARS_PER_TOKEN;
    const blocks = Math.floor(tokens / CACHE_BLOCK_TOKENS);
    let chain = createHash('sha1').update(scope).digest('hex');
    let matched = 0;
    let missed = false;
    for (let k = 0; k < blocks; k++) {
      // Each block's key covers the whole prefix up to it, so a hit on block k implies hits before it.
      chain = createHash('sha1').update(chain).update(prompt.slice(k * blockChars, (k + 1) * blockChars)).digest('hex');
      if (!missed && this.seen.has(chain)) matched = k + 1;
      else missed = true;
      this.remember(chain);
    }
    const cached = matched * CACHE_BLOCK_TOKENS;
    return cached >= CACHE_MIN_TOKENS ? Math.min(cached, tokens) : 0;
  }

  private remember(key: string): void {
    if (this.seen.has(key)) return;
    if (this.seen.size >= MAX_ENTRIES) this.seen.delete(this.seen.values().next().value as string);
    this.seen.add(key);
  }

  clear(): void {
    this.seen.clear();
  }
}
