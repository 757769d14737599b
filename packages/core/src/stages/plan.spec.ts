import { apportion, buildPlan, selectTools } from './plan';
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
    expect([count('standard'), count('no_tool'), count('parallel'), count('error'), count('ambiguous'), count('edge')]).toEqual([55, 15, 10, 10, 5, 5]);
    for (const t of tools) expect(plan.items.some((i) => i.targets[0] === t.name)).toBe(true);
    expect(plan.items.filter((i) => i.scenario === 'parallel').every((i) => i.targets.length >= 2)).toBe(true);
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
    const first = plan.items.filter((i) => i.scenario === 'standard').map((i) => i.targets[0]);
    const w = first.filter((n) => n === 'get_weather').length;
    expect(w / first.length).toBeGreaterThan(0.7);
    expect(() => selectTools(cfg({ tools: { include: ['nope'], exclude: [], overrides: {} } }), tools)).toThrow(/No tools left after tools.include\/exclude/);
  });
});
