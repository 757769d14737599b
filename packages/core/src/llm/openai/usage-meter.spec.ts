import { ForgeError } from '../../errors';
import { UsageMeter } from './usage-meter';

const completion = { usage: { prompt_tokens: 2000, completion_tokens: 1000, total_tokens: 3000, prompt_tokens_details: { cached_tokens: 1024 }, completion_tokens_details: { reasoning_tokens: 600 } } };
const body = { model: 'gpt-5', messages: [{ role: 'user' as const, content: 'x'.repeat(4000) }], max_completion_tokens: 1000 };

it('counts tokens and dollars per request (cached input at its price, batch at half)', () => {
  const m = new UsageMeter({ pricing: {}, spentBefore: 0 });
  m.record('gpt-5', completion, false);
  const sync = ((2000 - 1024) * 1.25 + 1024 * 0.125 + 1000 * 10) / 1e6;
  expect(m.usage()).toMatchObject({ requests: 1, promptTokens: 2000, cachedTokens: 1024, completionTokens: 1000, reasoningTokens: 600 });
  expect(m.usage().usd).toBeCloseTo(sync, 10);
  m.record('gpt-5', completion, true);
  expect(m.usage().usd).toBeCloseTo(sync * 1.5, 10);
  m.cacheHit();
  expect(m.usage().cacheHits).toBe(1);
});

it('uses config pricing overrides', () => {
  const m = new UsageMeter({ pricing: { 'my-model': { input: 1, cachedInput: 1, output: 1 } }, spentBefore: 0 });
  m.record('my-model', completion, false);
  expect(m.usage().usd).toBeCloseTo(3000 / 1e6, 10);
});

it('reserves the worst case of requests in flight against budget.maxUsd', () => {
  const m = new UsageMeter({ pricing: {}, maxUsd: 0.025, spentBefore: 0.001 });
  const estimate = m.estimateUsd(body, false);
  expect(estimate).toBeCloseTo(((4000 + 40) / 4) * 1.25e-6 + 1000 * 10e-6, 4);
  const first = m.reserve(body, false);
  const second = m.reserve(body, false);
  expect(() => m.reserve(body, false)).toThrow(ForgeError);
  try {
    m.reserve(body, false);
  } catch (err) {
    expect((err as ForgeError).code).toBe('BUDGET');
    expect((err as ForgeError).message).toMatch(/budget.maxUsd \$0.0250 would be exceeded: spent \$0.0010 so far \(\+\$0.02\d+ in flight\)/);
  }
  first();
  second();
  m.reserve(body, false)();
  expect(() => m.reserve(body, true)).not.toThrow();
});

it('stops on impossible usage counts when budget.maxUsd is set (negative spend would never trip it)', () => {
  const m = new UsageMeter({ pricing: {}, maxUsd: 1, spentBefore: 0 });
  expect(() => m.record('gpt-5', { usage: { prompt_tokens: -5_000_000, completion_tokens: 10, total_tokens: 0 } }, false)).toThrow(
    'The model endpoint reported impossible token usage for gpt-5: prompt_tokens = -5000000; budget.maxUsd $1.00 cannot be enforced',
  );
  expect(() => m.record('gpt-5', { usage: { prompt_tokens: 10, completion_tokens: 1e12, total_tokens: 0 } }, false)).toThrow('completion_tokens = 1000000000000');
  expect(m.usage().requests).toBe(0);
});

it('without a budget, impossible counts are counted as 0, never negative', () => {
  const m = new UsageMeter({ pricing: {}, spentBefore: 0 });
  m.record('gpt-5', { usage: { prompt_tokens: -5_000_000, completion_tokens: 1.5, total_tokens: 0, prompt_tokens_details: { cached_tokens: 9 } } }, false);
  expect(m.usage()).toMatchObject({ requests: 1, promptTokens: 0, cachedTokens: 0, completionTokens: 0, usd: 0 });
});
