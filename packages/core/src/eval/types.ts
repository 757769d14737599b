// Shapes of the evaluation: ground truth per eval row (BFCL's possible_answer style), the checker's
// verdicts and the scores written to eval.json.
import type { Message } from '../types';

/** A function as the checker reads it: BFCL's doc (`parameters.type: "dict"`) or an OpenAI function. */
export interface FunctionDoc {
  name: string;
  description?: string;
  parameters: Record<string, unknown>;
}

/**
 * One expected call in BFCL's possible_answer form: `{ fn_name: { param: [acceptable values] } }`.
 * `""` in a list: the parameter may be omitted. A dict value is a list holding dicts whose values
 * are again lists of alternatives.
 */
export type ExpectedCall = Record<string, Record<string, unknown[]>>;

/** A call the model made. `arguments` undefined: its arguments did not parse as JSON. */
export interface ActualCall {
  name: string;
  arguments: unknown;
  raw?: string;
}

export interface Verdict {
  valid: boolean;
  /** Reason codes: `wrong_function`, `missing_param:days`, `value_mismatch:units`, `unexpected_call`, ... */
  reasons: string[];
}

/**
 * What the model must do at one assistant turn, given `messages.slice(0, at)` as the conversation.
 * `calls` empty: no call expected (irrelevance, no_tool, a clarifying question).
 */
export interface TruthTurn {
  /** Index in the row's messages of the assistant message under test. */
  at: number;
  calls: ExpectedCall[];
  /** What a good answer without a call is (for the report): a clarifying question, a direct answer. */
  expect: 'calls' | 'no_call' | 'clarify';
}

/** One line of eval.truth.jsonl: self-contained (conversation, offered tools, expected turns). */
export interface TruthRow {
  id: string;
  /** The row's scenario (the category it is scored under). */
  category: string;
  /** The offered tools, as function docs (the names the model sees). */
  functions: FunctionDoc[];
  /** The conversation; turn `at` is scored given the messages before it. */
  messages: Message[];
  turns: TruthTurn[];
}

export interface TurnResult {
  at: number;
  verdict: Verdict;
  /** What the turn expected (BFCL possible_answer style; empty: no call). */
  expected: ExpectedCall[];
  /** The calls the model made (name and arguments), for the report. */
  calls: ActualCall[];
  /** The model's text when it made no call (trimmed to a few hundred characters). */
  text?: string;
}

export interface RowResult {
  id: string;
  category: string;
  valid: boolean;
  reasons: string[];
  turns: TurnResult[];
}

export interface Score {
  correct: number;
  count: number;
  accuracy: number;
  /** 95% Wilson score interval. */
  ci95: [number, number];
}

export interface ModelEval {
  model: string;
  baseURL: string;
  overall: Score;
  categories: Record<string, Score>;
  /** Counts of each reason code over the failed rows. */
  reasons: Record<string, number>;
  rows: RowResult[];
  usage: { requests: number; cacheHits: number; promptTokens: number; completionTokens: number; usd: number };
}

export interface EvalReport {
  version: 1;
  dataset: string;
  truthFile: string;
  rows: number;
  models: ModelEval[];
}
