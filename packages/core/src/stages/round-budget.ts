// Batch mode: a stage's rounds follow its deepest conversation, not its samples or its failures.
//
// Every item of a stage is a CHAIN of model requests made one after another: its conversation, the
// retries of it and (in generate) its top-up replacements; in augment, a seed family's waves of
// variants. In batch mode each chain sends its next request into the next round, so a stage takes as
// many rounds as its longest chain has requests. Each chain gets the same budget: the deepest planned
// conversation with one repair per call turn. A retry, replacement or fallback starts only when it
// fits in what its chain has left (with room for its own repairs), so no chain, and no stage, goes
// past the budget however many samples or failures there are. Steps are counted from the requests
// the chain makes, cached or not, so a rebuild takes the same decisions and makes no new request.
import type { LlmProvider } from '../llm/provider';
import type { Scenario } from '../types';

/** How deep a conversation is: its model requests one after another, and its call turns (each may need a repair). */
export interface Depth {
  requests: number;
  callTurns: number;
}

/**
 * The requests of a planned conversation (the script of buildConversation), without repairs. A call
 * whose result is simulated is one more request, one after another within its turn; `simulated`
 * says whether a target's results are (when one is, a read after it may be too: every call counts).
 */
export function conversationDepth(scenario: Scenario, targets: string[], simulated: (tool: string) => boolean = () => false): Depth {
  const sim = targets.some(simulated);
  const calls = (n: number) => (sim ? n : 0); // results to simulate for a turn of n calls
  switch (scenario) {
    case 'no_tool':
    case 'irrelevance':
      return { requests: 2, callTurns: 0 }; // request, answer
    case 'ambiguous':
      return { requests: 5 + calls(1), callTurns: 1 }; // request, clarification, follow-up, call, answer (when it goes on)
    case 'sequential':
      return { requests: 4 + calls(2), callTurns: 2 }; // request, first call, chained call, answer
    case 'multi_turn': {
      const turns = Math.max(3, targets.length);
      return { requests: (3 + calls(1)) * turns, callTurns: turns }; // per turn: request, call, answer
    }
    case 'parallel':
    case 'parallel_multiple':
      return { requests: 3 + calls(targets.length), callTurns: 1 }; // request, the calls in one turn, answer
    default:
      return { requests: 3 + calls(1), callTurns: 1 }; // request, call, answer
  }
}

/** The steps a conversation may take at most: its requests and one repair per call turn. */
export function stepsOf(d: Depth): number {
  return d.requests + d.callTurns;
}

/** The batch round budget of a generate stage: its deepest planned conversation, repairs included. */
export function roundBudget(items: { scenario: Scenario; targets: string[] }[], simulated?: (tool: string) => boolean): number {
  return items.reduce((max, i) => Math.max(max, stepsOf(conversationDepth(i.scenario, i.targets, simulated))), 0);
}

/** A chain asked for a request past its round budget (a bug of the fit checks, or a provider that asks more than planned). */
export class RoundBudgetSpent extends Error {
  constructor(limit: number) {
    super(`batch_round_budget: the conversation needed more than the stage's ${limit} batch rounds`);
  }
}

/** Provider methods that send a request to the model. */
const REQUESTS = new Set<string | symbol>(['userRequest', 'toolCalls', 'repairCalls', 'simulateResult', 'reply', 'paraphrase', 'judge']);

/**
 * One chain's steps. Requests the chain makes at the same time (the user turns of a paraphrase) are
 * one step: they go into the same round.
 */
export class StepBudget {
  private steps = 0;
  private inFlight = 0;

  constructor(readonly limit: number) {}

  get used(): number {
    return this.steps;
  }

  /** Whether a conversation of this depth, with its repairs, still fits in the budget. */
  fits(depth: Depth): boolean {
    return this.steps + stepsOf(depth) <= this.limit;
  }

  /** A chain that goes on from here beside this one (requests made at the same time as another's). */
  branch(): StepBudget {
    const b = new StepBudget(this.limit);
    b.steps = this.steps;
    return b;
  }

  /** Continues from `steps` (a wave of a family starts where its longest member ended). */
  advanceTo(steps: number): void {
    this.steps = Math.max(this.steps, steps);
  }

  /** The provider as this chain sees it: every request counted, none past the budget. */
  provider(provider: LlmProvider): LlmProvider {
    return new Proxy(provider, {
      get: (target, prop) => {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        if (!REQUESTS.has(prop)) return value.bind(target);
        return async (...args: unknown[]) => {
          if (this.inFlight === 0) {
            if (this.steps + 1 > this.limit) throw new RoundBudgetSpent(this.limit);
            this.steps++;
          }
          this.inFlight++;
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } finally {
            this.inFlight--;
          }
        };
      },
    });
  }
}

/** Whether the provider sends its requests in Batch API rounds (only then are chains budgeted). */
export function batched(provider: LlmProvider): boolean {
  return provider.batchRounds?.() !== undefined;
}
