// Top-up helpers: where coverage items go (they keep the scenario mix), and when a parallel call turn
// is too short to serve its scenario (another attempt before the item is given up).
import type { Plan, PlanItem } from './plan';
import type { Scenario, ToolDef } from '../types';
import { chainTargets, coverageScenarios, topUpPrimary } from './generate';
import { parallelShortfall } from './conversation';

function plan(counts: Partial<Record<Scenario, number>>, accepted: Partial<Record<Scenario, number>>): Plan {
  const items: PlanItem[] = [];
  for (const [scenario, n] of Object.entries(counts) as [Scenario, number][]) {
    for (let i = 0; i < n; i++) items.push({ index: items.length, key: `k${items.length}`, scenario, targets: ['t'], persona: 'p', style: 's', seed: i, status: i < (accepted[scenario] ?? n) ? 'done' : 'rejected' });
  }
  return { dataset: 'd', provider: 'openai', model: 'm', seed: 1, samples: items.length, scenarioCounts: counts, tools: ['t'], items };
}

describe('coverageScenarios', () => {
  it('spreads coverage items over the single-call scenarios by their planned shares, not all into standard', () => {
    const p = plan({ standard: 30, multiple: 15, parallel: 7, edge: 4, no_tool: 44 }, { parallel: 6 });
    const out = coverageScenarios(p, 3);
    expect(out).toHaveLength(3);
    expect(out.every((s) => ['standard', 'multiple', 'edge'].includes(s))).toBe(true);
    expect(out.filter((s) => s === 'standard').length).toBeLessThan(3);
    expect(out).toContain('multiple');
  });

  it('fills the scenario furthest below its share first', () => {
    const p = plan({ standard: 30, multiple: 15, edge: 5, no_tool: 50 }, { multiple: 12 });
    expect(coverageScenarios(p, 2)).toEqual(['multiple', 'multiple']);
  });

  it('falls back to standard when the mix has no single-call scenario', () => {
    expect(coverageScenarios(plan({ parallel: 5, no_tool: 5 }, {}), 1)).toEqual(['standard']);
  });
});

describe('parallelShortfall', () => {
  const call = (name: string) => ({ id: name, name, arguments: {} });
  it('names a parallel turn with one call and a parallel_multiple turn with one tool', () => {
    expect(parallelShortfall('parallel', [call('a')])).toMatch(/parallel sample has no assistant turn with 2 or more calls/);
    expect(parallelShortfall('parallel_multiple', [call('a'), call('a')])).toMatch(/2 or more different tools/);
  });
  it('accepts enough calls, and says nothing for other scenarios', () => {
    expect(parallelShortfall('parallel', [call('a'), call('a')])).toBeUndefined();
    expect(parallelShortfall('parallel_multiple', [call('a'), call('b')])).toBeUndefined();
    expect(parallelShortfall('standard', [call('a')])).toBeUndefined();
  });
});

describe('topUpPrimary', () => {
  const tools: ToolDef[] = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, serverToolName: name, server: 0, description: name, inputSchema: { type: 'object', properties: {} } }));
  const byName = new Map(tools.map((t) => [t.name, t]));
  const item = (index: number, scenario: Scenario, tool: string, seed: number, status: PlanItem['status']): PlanItem => ({ index, key: `k${index}`, scenario, targets: [tool], persona: 'p', style: 's', seed, status });
  const planOf = (items: PlanItem[]): Plan => ({ dataset: 'd', provider: 'openai', model: 'm', seed: 1, samples: items.length, scenarioCounts: {}, tools: tools.map((t) => t.name), items });

  it("keeps the primary tool in the first round, and does not depend on the item's place among the rejected ones", () => {
    const rejected = item(5, 'standard', 'a', 77, 'rejected');
    expect(topUpPrimary(rejected, 1, planOf([rejected]), byName, tools, new Set(['a']))).toBe(byName.get('a'));
    const served = [item(0, 'standard', 'b', 1, 'done'), item(1, 'standard', 'c', 2, 'done'), item(2, 'standard', 'd', 3, 'done')];
    // Another tool's item (another scenario) rejected, or now accepted: the same replacement tool.
    const picks = [false, true].map((flipped) => {
      const other = item(3, 'edge', 'e', 4, flipped ? 'done' : 'rejected');
      return topUpPrimary(rejected, 2, planOf([...served, other, rejected]), byName, tools, new Set(['a', 'b', 'c', 'd', ...(flipped ? ['e'] : [])])).name;
    });
    expect(picks[0]).toBe(picks[1]);
    expect(['b', 'c', 'd']).toContain(picks[0]);
  });

  it('from the second round, spreads replacements over the other tools by seed, never the same one', () => {
    const picks = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const rejected = item(0, 'sequential', 'c', seed, 'rejected');
      const pick = topUpPrimary(rejected, 2, planOf([rejected]), byName, tools, new Set(['c'])).name;
      expect(pick).not.toBe('c');
      picks.add(pick);
    }
    expect(picks.size).toBeGreaterThan(2);
  });
});

describe('chainTargets (batch mode replacements)', () => {
  const t = (name: string): ToolDef => ({ name, serverToolName: name, server: 0, description: name, inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }) as unknown as ToolDef;
  const tools = ['get_forecast', 'set_weather_alert', 'search_cities', 'list_alerts', 'get_current_weather'].map(t);
  const byName = new Map(tools.map((x) => [x.name, x]));
  const item = (scenario: Scenario, targets: string[], reason: string): PlanItem => ({ index: 3, key: 'k', scenario, targets, persona: 'p', style: 's', seed: 77, status: 'rejected', reason });

  it('keeps the tool after a failure of the model in the first round', () => {
    expect(chainTargets(item('parallel', ['get_forecast', 'get_forecast'], 'scenario: parallel sample has no assistant turn with 2 or more calls'), 1, [], byName, tools)).toEqual({ first: byName.get('get_forecast') });
  });

  it('takes the tools of a conversation that served the scenario when the tool cannot serve it, a different one for each replacement made at once', () => {
    const failed = item('sequential', ['get_forecast', 'set_weather_alert'], "scenario: sequential sample's second call uses no value from the earlier result");
    const served = [['search_cities', 'get_forecast'], ['list_alerts', 'set_weather_alert']];
    const picks = [0, 1].map((k) => chainTargets(failed, 1, served, byName, tools, k));
    expect(picks.map((p) => [p.first.name, ...(p.rest ?? []).map((r) => r.name)]).sort()).toEqual(served.slice().sort());
  });

  it('starts a sequence from a tool that finds things when nothing served it yet', () => {
    const failed = item('sequential', ['get_forecast', 'set_weather_alert'], "scenario: sequential sample's second call uses no value from the earlier result");
    const firsts = [0, 1].map((k) => chainTargets(failed, 1, [], byName, tools, k).first.name);
    expect(firsts.sort()).toEqual(['list_alerts', 'search_cities']);
  });
});
