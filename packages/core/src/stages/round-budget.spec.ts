// Batch mode's round budget: the depth of each planned conversation as its script really runs, the
// chains' step counts, and a generate stage run in real rounds (requests held until every running
// conversation has asked, then answered together, as the batch queue does) with injected failures:
// its rounds stay within the budget at two sizes, and the outcome does not depend on timing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfigText } from '../config/loader';
import { OfflineProvider } from '../llm/offline/provider';
import { ALL_AT_ONCE } from '../llm/openai/provider';
import type { PlanContext } from '../llm/provider';
import type { Message, ToolCall, ToolDef } from '../types';
import { buildConversation, UnlinkedSequence } from './conversation';
import { contextFor, generateSeeds, offeredOf } from './generate';
import { augmentRounds, augmentSeeds } from './augment';
import { buildPlan, type PlanItem } from './plan';
import { conversationDepth, roundBudget, RoundBudgetSpent, StepBudget } from './round-budget';
import { seedFrom } from '../util/rng';
import { ForgeError } from '../errors';

const tools: ToolDef[] = (JSON.parse(readFileSync(join(__dirname, '../../../../datasets/weather-dataset/tools.lock.json'), 'utf8')).tools as ToolDef[]).map((t) => ({ ...t, server: 0, serverToolName: t.serverToolName ?? t.name }));
const byName = new Map(tools.map((t) => [t.name, t]));
const cfg = (samples: number) => parseConfigText(`server: { command: node }\nsamples: ${samples}\nexecution: simulated\n`, '/ws/datasets/w/forge.yaml', { workspaceRoot: '/ws' });

describe('conversationDepth', () => {
  it('is the number of requests each planned conversation makes, one after another (results simulated)', async () => {
    const c = cfg(120);
    const plan = buildPlan({ dataset: 'w', cfg: c, tools, provider: 'offline', model: 'offline-rules-v1' });
    const seen = new Set<string>();
    for (const item of plan.items) {
      const chain = new StepBudget(Infinity);
      const offered = offeredOf(item, plan).map((n) => byName.get(n)!);
      const depth = conversationDepth(item.scenario, item.targets, () => true);
      try {
        await buildConversation({ cfg: c, provider: chain.provider(new OfflineProvider()) }, contextFor(item, byName, offered), item.key, byName);
      } catch (err) {
        // A sequence that does not chain stops before its answer.
        expect(err).toBeInstanceOf(UnlinkedSequence);
        expect(chain.used).toBe(depth.requests - 1);
        continue;
      }
      // An ambiguous request is answered with a question only half of the time; then it stops after two.
      if (item.scenario === 'ambiguous' && chain.used === 2) continue;
      expect({ scenario: item.scenario, steps: chain.used }).toEqual({ scenario: item.scenario, steps: depth.requests });
      seen.add(item.scenario);
    }
    expect(seen.size).toBeGreaterThanOrEqual(10);
  });

  it('counts no request for live results, and a repair per call turn in the budget', () => {
    expect(conversationDepth('multi_turn', ['a', 'b', 'c'])).toEqual({ requests: 9, callTurns: 3 });
    expect(conversationDepth('parallel', ['a', 'a', 'b'], (t) => t === 'b')).toEqual({ requests: 6, callTurns: 1 });
    expect(roundBudget([{ scenario: 'standard', targets: ['a'] }, { scenario: 'sequential', targets: ['a', 'b'] }])).toBe(6);
  });
});

describe('StepBudget', () => {
  it('counts requests made at the same time as one step and refuses one past the limit', async () => {
    const chain = new StepBudget(2);
    const p = chain.provider(new OfflineProvider());
    await Promise.all(['one', 'two', 'three'].map((t) => p.paraphrase(t, 1, 'polite')));
    expect(chain.used).toBe(1);
    await p.paraphrase('four', 1, 'polite');
    expect(chain.used).toBe(2);
    await expect(p.paraphrase('five', 1, 'polite')).rejects.toBeInstanceOf(RoundBudgetSpent);
    expect(p.name).toBe('offline');
    expect(p.usage()).toEqual(new OfflineProvider().usage());
  });
});

/**
 * The offline provider answering in rounds, as a Batch API build does: a request waits until no
 * conversation has asked anything for `idleMs`, then the round's requests are answered together.
 * Parallel turns are refused (one call only) for about half of the conversations, whose items are
 * then rejected and replaced.
 */
class RoundedProvider extends OfflineProvider {
  /** Every sample at once, as the OpenAI provider runs them in batch mode. */
  readonly maxParallelSamples = ALL_AT_ONCE;
  rounds = 0;
  private waiting: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly idleMs: number) {
    super();
  }

  batchRounds() {
    return { rounds: [] };
  }

  private inRound<T>(answer: () => Promise<T>): Promise<T> {
    return new Promise<void>((release) => {
      this.waiting.push(release);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.rounds++;
        const due = this.waiting;
        this.waiting = [];
        due.forEach((r) => r());
      }, this.idleMs);
    }).then(answer);
  }

  override userRequest(ctx: PlanContext, history?: Message[]) {
    return this.inRound(() => super.userRequest(ctx, history));
  }
  override toolCalls(ctx: PlanContext): Promise<ToolCall[]> {
    return this.inRound(async () => {
      const calls = await super.toolCalls(ctx);
      return ctx.scenario.startsWith('parallel') && seedFrom(ctx.seed, 'refuse') % 2 === 0 ? calls.slice(0, 1) : calls;
    });
  }
  override simulateResult(ctx: PlanContext, tool: ToolDef, call: ToolCall, failing: boolean, history?: Message[]) {
    return this.inRound(() => super.simulateResult(ctx, tool, call, failing, history));
  }
  override reply(ctx: PlanContext, messages: Message[], kind: Parameters<OfflineProvider['reply']>[2]) {
    return this.inRound(() => super.reply(ctx, messages, kind));
  }
}

describe('generate in batch rounds', () => {
  async function run(samples: number, idleMs: number) {
    const c = cfg(samples);
    const plan = buildPlan({ dataset: 'w', cfg: c, tools, provider: 'offline', model: 'offline-rules-v1' });
    const budget = roundBudget(plan.items, () => true);
    const provider = new RoundedProvider(idleMs);
    const out = await generateSeeds({ cfg: c, plan, tools, provider });
    return { budget, rounds: provider.rounds, plan, out };
  }

  it('stays within the deepest conversation, replacements included, at 40 and 160 samples', async () => {
    for (const samples of [40, 160]) {
      const { budget, rounds, plan, out } = await run(samples, 2);
      expect(plan.topUp!.replacements).toBeGreaterThan(0);
      expect(plan.topUp!.recovered).toBeGreaterThan(0);
      expect(rounds).toBeLessThanOrEqual(budget);
      // Two replacements at once per rejected item and round; at most one of them is kept.
      const groups = new Map<string, PlanItem[]>();
      for (const i of plan.items.filter((x) => x.round)) groups.set(`${i.replaces}/${i.round}`, [...(groups.get(`${i.replaces}/${i.round}`) ?? []), i]);
      for (const g of groups.values()) {
        expect(g).toHaveLength(2);
        expect(g.filter((i) => i.status === 'done').length).toBeLessThanOrEqual(1);
      }
      expect(plan.items.some((i) => i.reason?.startsWith('top_up_spare'))).toBe(true);
      // The replacements run inside the rounds the deepest conversations take anyway.
      expect(out.seeds.filter((s) => s.scenario.startsWith('parallel')).length).toBeGreaterThan(0);
    }
  });

  it('plans and makes the same replacements whatever the timing of the rounds', async () => {
    const a = await run(60, 1);
    const b = await run(60, 12);
    const shape = (r: typeof a) => r.plan.items.map((i) => `${i.index}:${i.key}:${i.status}:${i.replaces ?? ''}:${i.round ?? ''}`);
    expect(shape(b)).toEqual(shape(a));
    expect(b.out.seeds.map((s) => JSON.stringify(s.messages))).toEqual(a.out.seeds.map((s) => JSON.stringify(s.messages)));
  });
});

it('stops, and does not wait forever, when a request stops the build (the budget spent, a quota)', async () => {
  class Spent extends RoundedProvider {
    override userRequest(ctx: PlanContext, history?: Message[]) {
      if (ctx.scenario === 'sequential' && !history?.length && seedFrom(ctx.seed, 'spent') % 2 === 0) return Promise.reject(new ForgeError('BUDGET', 'budget.maxUsd spent'));
      return super.userRequest(ctx, history);
    }
  }
  const c = cfg(80);
  const plan = buildPlan({ dataset: 'w', cfg: c, tools, provider: 'offline', model: 'offline-rules-v1' });
  await expect(generateSeeds({ cfg: c, plan, tools, provider: new Spent(1) })).rejects.toThrow(/budget.maxUsd spent/);
});

it('augment: every seed family within one request\'s rounds, deeper parameter variations made as context variants', async () => {
  const c = parseConfigText(`server: { command: node }\nsamples: 60\nexecution: simulated\ngenerator: { batch: true }\naugmentation: { factor: 4 }\n`, '/ws/datasets/w/forge.yaml', { workspaceRoot: '/ws' });
  const plan = buildPlan({ dataset: 'w', cfg: c, tools, provider: 'offline', model: 'offline-rules-v1' });
  const { seeds } = await generateSeeds({ cfg: c, plan, tools, provider: new OfflineProvider() });
  const provider = new RoundedProvider(1);
  const { rows, report } = await augmentSeeds({ cfg: c, seeds, tools, provider });
  expect(rows.length).toBe(seeds.length * 3);
  expect(provider.rounds).toBeLessThanOrEqual(augmentRounds(true));
  expect(provider.rounds).toBeGreaterThanOrEqual(3);
  expect(Object.keys(report.substitutions).some((r) => /deeper than the batch round budget \(5\)/.test(r))).toBe(true);
});
