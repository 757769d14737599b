import { apportion, buildPlan, callsPrimaryTool, minimumSamples, offerRange, selectTools } from './plan';
import { SCENARIOS } from '../types';
import { couldAnswer } from './tool-roles';
import type { ForgeConfig } from '../config/types';
import { parseConfigText } from '../config';
import type { ToolDef } from '../types';

const tool = (name: string, props: Record<string, unknown> = { city: { type: 'string' } }): ToolDef => ({
  name,
  serverToolName: name,
  server: 0,
  description: `${name} tool`,
  inputSchema: { type: 'object', properties: props, required: Object.keys(props) },
});

function cfg(over: Partial<ForgeConfig> = {}): ForgeConfig {
  const base = parseConfigText('server: { command: unused }\nsamples: 100\nseed: 7\n', '/w/forge.yaml');
  return { ...base, ...over };
}

describe('apportion', () => {
  it('splits exactly by the largest remainder', () => {
    expect(apportion(100, { a: 0.55, b: 0.15, c: 0.1, d: 0.1, e: 0.05, f: 0.05 })).toEqual({ a: 55, b: 15, c: 10, d: 10, e: 5, f: 5 });
    const odd = apportion(7, { a: 0.5, b: 0.25, c: 0.25 });
    expect(Object.values(odd).reduce((x, y) => x + y!, 0)).toBe(7);
    expect(odd).toEqual({ a: 3, b: 2, c: 2 }); // 3.5, 1.75, 1.75: the larger remainders win
  });
});

describe('buildPlan', () => {
  const tools = [tool('get_weather'), tool('get_forecast', { city: { type: 'string' }, days: { type: 'integer' } }), tool('list_alerts', {})];

  it('plans the configured mix with every tool and stable keys', () => {
    const plan = buildPlan({ dataset: 'd', cfg: cfg(), tools, provider: 'offline', model: 'm' });
    expect(plan.items).toHaveLength(100);
    const count = (s: string) => plan.items.filter((i) => i.scenario === s).length;
    expect(Object.fromEntries(SCENARIOS.map((s) => [s, count(s)]))).toEqual({
      standard: 30, multiple: 15, parallel: 7, parallel_multiple: 7, sequential: 7, multi_turn: 5, irrelevance: 8, no_tool: 7, error: 6, ambiguous: 4, edge: 4,
    });
    for (const t of tools) expect(plan.items.some((i) => i.targets[0] === t.name)).toBe(true);
    expect(plan.items.filter((i) => i.scenario.startsWith('parallel')).every((i) => i.targets.length >= 2)).toBe(true);
    expect(plan.items.filter((i) => i.scenario === 'parallel_multiple').every((i) => new Set(i.targets).size >= 2)).toBe(true);
    expect(plan.items.filter((i) => i.scenario === 'multi_turn').every((i) => i.targets.length >= 3)).toBe(true);
    expect(plan.items.filter((i) => i.scenario === 'sequential').every((i) => i.targets.length === 2)).toBe(true);
    expect(buildPlan({ dataset: 'd', cfg: cfg(), tools, provider: 'offline', model: 'm' })).toEqual(plan);
  });

  it('changes only the keys of items about a tool whose schema changed', () => {
    const before = buildPlan({ dataset: 'd', cfg: cfg(), tools, provider: 'offline', model: 'm' });
    const changed = [tools[0], tool('get_forecast', { city: { type: 'string' }, days: { type: 'integer', maximum: 7 } }), tools[2]];
    const after = buildPlan({ dataset: 'd', cfg: cfg(), tools: changed, provider: 'offline', model: 'm' });
    const differs = after.items.filter((item, i) => item.key !== before.items[i].key);
    expect(differs.length).toBeGreaterThan(0);
    expect(differs.every((i) => i.targets.includes('get_forecast'))).toBe(true);
    expect(after.items.filter((i) => i.targets.includes('get_forecast')).every((i) => differs.includes(i))).toBe(true);
  });

  it('keys change with the provider', () => {
    const a = buildPlan({ dataset: 'd', cfg: cfg(), tools, provider: 'offline', model: 'm' });
    const b = buildPlan({ dataset: 'd', cfg: cfg(), tools, provider: 'openai', model: 'm' });
    expect(a.items[0].key).not.toBe(b.items[0].key);
  });

  it('honours include/exclude and weights', () => {
    const c = cfg({ tools: { exclude: ['list_*'], overrides: { get_weather: { weight: 3 } } } });
    expect(selectTools(c, tools).map((t) => t.name)).toEqual(['get_weather', 'get_forecast']);
    const plan = buildPlan({ dataset: 'd', cfg: c, tools, provider: 'offline', model: 'm' });
    const first = plan.items.filter((i) => callsPrimaryTool(i.scenario)).map((i) => i.targets[0]);
    const w = first.filter((n) => n === 'get_weather').length;
    expect(w / first.length).toBeGreaterThan(0.7);
    expect(() => selectTools(cfg({ tools: { include: ['nope'], exclude: [], overrides: {} } }), tools)).toThrow(/No tools left after tools.include\/exclude/);
  });

  it('plans every one of 60 tools, and stops before spending anything when samples is too small', () => {
    const many = Array.from({ length: 60 }, (_, i) => tool(`${['get', 'list', 'create', 'delete', 'search'][i % 5]}_thing${i}`, i % 3 ? { id: { type: 'string' } } : { q: { type: 'string' }, n: { type: 'integer' } }));
    const c = cfg({ samples: 80 });
    const plan = buildPlan({ dataset: 'd', cfg: c, tools: many, provider: 'offline', model: 'm' });
    const primary = new Set(plan.items.filter((i) => callsPrimaryTool(i.scenario)).map((i) => i.targets[0]));
    expect(primary.size).toBe(60);
    const least = minimumSamples(c, 60)!;
    expect(least).toBeGreaterThan(60);
    expect(() => buildPlan({ dataset: 'd', cfg: cfg({ samples: 40 }), tools: many, provider: 'offline', model: 'm' })).toThrow(new RegExp(`samples: 40 is too small for 60 tools.*smallest samples that covers every tool is ${least}`));
    expect(() => buildPlan({ dataset: 'd', cfg: cfg({ samples: least }), tools: many, provider: 'offline', model: 'm' })).not.toThrow();
    expect(() => buildPlan({ dataset: 'd', cfg: cfg({ samples: least - 1 }), tools: many, provider: 'offline', model: 'm' })).toThrow(/too small/);
  });

  it('offers the targets plus distractors within tools.offer; irrelevance rows offer no tool that could answer', () => {
    const many = Array.from({ length: 30 }, (_, i) => tool(`get_topic${i % 10}_v${i}`));
    const plan = buildPlan({ dataset: 'd', cfg: cfg({ samples: 200 }), tools: many, provider: 'offline', model: 'm' });
    const byName = new Map(many.map((t) => [t.name, t]));
    const sizes = new Set<number>();
    for (const item of plan.items) {
      const offered = item.offered!;
      sizes.add(offered.length);
      expect(offered.length).toBeLessThanOrEqual(Math.max(8, new Set(item.targets).size));
      if (item.scenario === 'irrelevance') {
        expect(offered.length).toBeGreaterThan(0);
        for (const o of offered) expect(couldAnswer(byName.get(item.targets[0])!, byName.get(o)!)).toBe(false);
      } else {
        for (const t of item.targets) expect(offered).toContain(t);
        if (item.scenario === 'multiple') expect(offered.length).toBeGreaterThanOrEqual(3);
        expect(offered.length).toBeGreaterThanOrEqual(3);
      }
    }
    expect(sizes.size).toBeGreaterThan(3);
    const all = buildPlan({ dataset: 'd', cfg: cfg({ samples: 50, tools: { exclude: [], overrides: {}, offer: 'all' } }), tools: many, provider: 'offline', model: 'm' });
    expect(all.items.filter((i) => i.scenario !== 'irrelevance').every((i) => i.offered!.length === 30)).toBe(true);
    expect(offerRange('3-8', 5)).toEqual([3, 5]);
    expect(offerRange(4, 10)).toEqual([4, 4]);
  });
});
