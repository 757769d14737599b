// Structured outputs (response_format json_schema) for every generated text, and the checks on a
// completion that make a sample fail with a reason instead of carrying bad text: `truncated`
// (finish_reason length), `refused`, `malformed_output` (content that does not parse or match).
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { JsonSchema } from '../../types';
import { ForgeError } from '../../errors';
import { validateAgainst } from '../../schema/validator';

export type OutputProblem = 'truncated' | 'refused' | 'malformed_output' | 'no_tool_call' | 'empty_choice';

/** A completion that cannot be used. Per sample: the stage turns it into a rejected row with the reason. */
export class OutputError extends ForgeError {
  constructor(
    readonly reason: OutputProblem,
    detail: string,
  ) {
    super('LLM', `${reason}: ${detail}`);
    this.name = 'OutputError';
    this.scope = 'sample';
  }
}

export interface OutputSpec {
  name: string;
  schema: Record<string, unknown>;
  strict: boolean;
}

/** `{message: string}`: the shape of every free-text turn. */
export const MESSAGE_OUTPUT: OutputSpec = {
  name: 'message',
  strict: true,
  schema: { type: 'object', properties: { message: { type: 'string', description: 'The text of the turn.' } }, required: ['message'], additionalProperties: false },
};

export function responseFormat(spec: OutputSpec): ChatCompletionCreateParamsNonStreaming['response_format'] {
  return { type: 'json_schema', json_schema: { name: spec.name, strict: spec.strict, schema: spec.schema } };
}

/** The first choice, after the checks every completion needs (truncation, refusal). */
export function firstChoice(completion: ChatCompletion, maxTokens: number | undefined | null): ChatCompletion['choices'][number] {
  const choice = completion.choices?.[0];
  if (!choice) throw new OutputError('empty_choice', 'the response has no choices');
  if (!choice.message || typeof choice.message !== 'object') throw new OutputError('empty_choice', `the first choice has no message (message: ${JSON.stringify(choice.message ?? null)})`);
  if (choice.finish_reason === 'length') {
    throw new OutputError('truncated', `the model stopped at max_completion_tokens (${maxTokens ?? 'default'}) before finishing; raise generator.maxCompletionTokens or lower generator.reasoningEffort`);
  }
  if (choice.message.refusal) throw new OutputError('refused', choice.message.refusal.slice(0, 300));
  if (choice.finish_reason === 'content_filter') throw new OutputError('refused', 'the content filter stopped the reply');
  return choice;
}

/** The parsed structured output; validated against `schema` when it was sent non-strict. */
export function readStructured(completion: ChatCompletion, spec: OutputSpec, maxTokens: number | undefined | null, original?: JsonSchema): unknown {
  const choice = firstChoice(completion, maxTokens);
  const text = choice.message.content ?? '';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OutputError('malformed_output', `the ${spec.name} output is not valid JSON: ${JSON.stringify(text.slice(0, 120))}`);
  }
  const check = validateAgainst(spec.strict || !original ? spec.schema : original, value);
  if (!check.valid) throw new OutputError('malformed_output', `the ${spec.name} output does not match its schema: ${check.errors.slice(0, 3).join('; ')}`);
  return value;
}

export function readMessage(completion: ChatCompletion, maxTokens: number | undefined | null): string {
  const { message } = readStructured(completion, MESSAGE_OUTPUT, maxTokens) as { message: string };
  if (!message.trim()) throw new OutputError('malformed_output', 'the message is empty');
  return message.trim();
}
