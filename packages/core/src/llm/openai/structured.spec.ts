import type { ChatCompletion } from 'openai/resources/chat/completions';
import { MESSAGE_OUTPUT, OutputError, readMessage, readStructured } from './structured';
import { readVerdict, resultSpec, readResult } from './outputs';
import { tool } from './spec-helpers';

function completion(message: Partial<ChatCompletion['choices'][number]['message']>, finish: ChatCompletion['choices'][number]['finish_reason'] = 'stop'): ChatCompletion {
  return {
    id: 'c',
    object: 'chat.completion',
    created: 0,
    model: 'gpt-5',
    choices: [{ index: 0, finish_reason: finish, logprobs: null, message: { role: 'assistant', content: null, refusal: null, ...message } }],
  };
}

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as OutputError).reason;
  }
  return 'none';
}

it('reads a structured message and rejects truncated, refused, malformed and empty ones with a reason', () => {
  expect(readMessage(completion({ content: '{"message":" Hi there "}' }), 100)).toBe('Hi there');
  expect(reason(() => readMessage(completion({ content: '{"mess' }, 'length'), 100))).toBe('truncated');
  expect(reason(() => readMessage(completion({ refusal: "I'm sorry, I can't help with that." }), 100))).toBe('refused');
  expect(reason(() => readMessage(completion({ content: 'not json' }), 100))).toBe('malformed_output');
  expect(reason(() => readMessage(completion({ content: '{"text":"x"}' }), 100))).toBe('malformed_output');
  expect(reason(() => readMessage(completion({ content: '{"message":"  "}' }), 100))).toBe('malformed_output');
  expect(reason(() => readMessage({ ...completion({}), choices: [] }, 100))).toBe('empty_choice');
});

it('validates a non-strict structured output against the original schema', () => {
  const spec = { name: 'r', strict: false, schema: { type: 'object' } };
  const original = { type: 'object', properties: { n: { type: 'integer', minimum: 1 } }, required: ['n'] };
  expect(readStructured(completion({ content: '{"n":2}' }), spec, 10, original)).toEqual({ n: 2 });
  expect(reason(() => readStructured(completion({ content: '{"n":0}' }), spec, 10, original))).toBe('malformed_output');
  expect(MESSAGE_OUTPUT.strict).toBe(true);
});

it('turns simulated results back into the tool shape (nulls of optional fields removed)', () => {
  const t = tool('get_current_weather');
  const spec = resultSpec(t, false);
  expect(spec.kind).toBe('schema');
  expect(resultSpec(t, true).kind).toBe('error');
  expect(resultSpec(tool('list_alerts'), false).kind).toBe('text');
  expect(readResult({ error: 'City not found' }, resultSpec(t, true))).toBe('City not found');
  const optional = { ...t, outputSchema: { type: 'object', properties: { temp: { type: 'number' }, note: { type: 'string' } }, required: ['temp'] } };
  const strictSpec = resultSpec(optional, false);
  expect(strictSpec.output.strict).toBe(true);
  expect((strictSpec.output.schema as { required: string[] }).required).toEqual(['temp', 'note']);
  expect(JSON.parse(readResult({ temp: 3.5, note: null }, strictSpec))).toEqual({ temp: 3.5 });
});

it('clamps the judge score to [0, 1] and keeps only text reasons', () => {
  expect(readVerdict({ score: 1.7, reasons: ['fine', 3, ' '] })).toEqual({ score: 1, reasons: ['fine'] });
  expect(readVerdict({ score: -2, reasons: [] }).score).toBe(0);
  expect(readVerdict({ score: 'x', reasons: null }).score).toBe(0);
});
