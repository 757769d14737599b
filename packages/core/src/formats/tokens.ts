// Token lengths of the rows, as a trainer sees them: the row rendered as ChatML with its tool list
// (chat-template.ts: the Hermes / Qwen layout of the open-weight tool-calling models), counted with
// the o200k_base BPE of the npm package gpt-tokenizer (vocabulary bundled in the package: no download
// at run time). Open-weight tokenizers differ by a few percent; the figures are for budgeting
// (`output.maxTokens`, a trainer's `max_length`), not exact for every model.
import type { countTokens as CountTokens } from 'gpt-tokenizer/cjs/encoding/o200k_base';
import type { Sample, ToolDef } from '../types';
import { renderChat } from './chat-template';
import { toHf } from './hf';
import type { FunctionTool } from './types';

export const TOKENIZER = 'o200k_base (npm gpt-tokenizer 4.0.0)';

// Special tokens (<|im_start|>) in the text are counted as text, never refused.
const COUNT_OPTIONS = { disallowedSpecial: new Set<string>() };

// Loaded on first use: reading the vocabulary takes about a second, which commands that count no
// tokens (qc, for one) should not pay at start-up.
let countTokens: typeof CountTokens | undefined;

export function tokenCount(text: string): number {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  countTokens ??= (require('gpt-tokenizer/cjs/encoding/o200k_base') as { countTokens: typeof CountTokens }).countTokens;
  return countTokens(text, COUNT_OPTIONS);
}

export interface RowTokens {
  /** The whole rendered row. */
  total: number;
  /** The system turn with the tool list (0 when the row offers no tools). */
  tools: number;
}

/** Counts rows, reusing the tools block count of rows that offer the same tools. */
export class RowTokenCounter {
  private readonly toolsBlocks = new Map<string, number>();

  count(sample: Sample, tools: ToolDef[]): RowTokens {
    const row = toHf(sample, tools);
    const total = tokenCount(renderChat(row));
    return { total, tools: this.toolsBlock(sample.tools, row.tools) };
  }

  private toolsBlock(names: string[], defs: FunctionTool[]): number {
    if (defs.length === 0) return 0;
    const key = names.join('\u0000');
    let n = this.toolsBlocks.get(key);
    if (n === undefined) {
      n = tokenCount(renderChat({ messages: [], tools: defs }));
      this.toolsBlocks.set(key, n);
    }
    return n;
  }
}

export interface TokenStats {
  /** Which tokenizer counted. */
  tokenizer: string;
  /** Rows counted (the rows written). */
  rows: number;
  min: number;
  median: number;
  p95: number;
  max: number;
  /** Tokens of the tools blocks over all tokens of the rows written, 0..1. */
  toolsShare: number;
  /** `output.maxTokens`. */
  maxTokens: number;
  /** Rows over maxTokens, dropped from every format. */
  dropped: number;
  /** Length of the longest dropped row (0 when none was dropped). */
  longestDropped: number;
}

/** Nearest-rank percentile of sorted values (0 for none). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Collects row lengths while rows are written. */
export class TokenStatsCollector {
  private readonly totals: number[] = [];
  private toolTokens = 0;
  private allTokens = 0;
  private dropped = 0;
  private longestDropped = 0;

  constructor(private readonly maxTokens: number) {}

  /** Records a row; false when it is over the limit (and must be dropped). */
  add(t: RowTokens): boolean {
    if (t.total > this.maxTokens) {
      this.dropped++;
      this.longestDropped = Math.max(this.longestDropped, t.total);
      return false;
    }
    this.totals.push(t.total);
    this.toolTokens += t.tools;
    this.allTokens += t.total;
    return true;
  }

  stats(): TokenStats {
    const sorted = [...this.totals].sort((a, b) => a - b);
    return {
      tokenizer: TOKENIZER,
      rows: sorted.length,
      min: sorted[0] ?? 0,
      median: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      max: sorted[sorted.length - 1] ?? 0,
      toolsShare: this.allTokens ? this.toolTokens / this.allTokens : 0,
      maxTokens: this.maxTokens,
      dropped: this.dropped,
      longestDropped: this.longestDropped,
    };
  }
}
