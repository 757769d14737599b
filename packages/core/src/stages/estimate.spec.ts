import type { ForgeConfig } from '../config/types';
import { TOOLS } from '../formats/__fixtures__/samples';
import type { ToolDef } from '../types';
import { describeRowLengths } from './estimate';
import type { Plan } from './plan';

function plan(tools: ToolDef[], scenarios: string[]): Plan {
  return {
    dataset: 'd',
    provider: 'offline',
    model: 'offline',
    seed: 1,
    samples: scenarios.length,
    scenarioCounts: {},
    tools: tools.map((t) => t.name),
    items: scenarios.map((scenario, index) => ({ index, key: `k${index}`, scenario, targets: [], persona: 'p', style: 's', seed: index, status: 'planned' })),
  } as unknown as Plan;
}

const cfg = (maxTokens: number) => ({ output: { formats: ['hf'], maxTokens } }) as unknown as ForgeConfig;
const listTokens = (line: string) => Number(/tool list ~(\d+) tokens when all (\d+) tools/.exec(line)![1]);

describe('dry run: expected row lengths', () => {
  it('grows with the tool list and warns when rows would be over output.maxTokens', () => {
    const many: ToolDef[] = Array.from({ length: 60 }, (_, i) => ({ ...TOOLS[0], name: `t${i}`, serverToolName: `t${i}` }));
    const [small] = describeRowLengths(plan(TOOLS, ['standard', 'parallel']), cfg(8192), TOOLS);
    const [big] = describeRowLengths(plan(many, ['standard', 'multi_turn', 'a_future_scenario']), cfg(2048), many);
    expect(small).toContain(`all ${TOOLS.length} tools are offered`);
    expect(small).toContain('within output.maxTokens (8192)');
    expect(listTokens(big)).toBeGreaterThan(listTokens(small) * 10);
    expect(big).toContain('over output.maxTokens (2048): such rows will be dropped');
  });

  it('counts the tools a row offers, not the whole list, when tools.offer picks a subset', () => {
    const many: ToolDef[] = Array.from({ length: 60 }, (_, i) => ({ ...TOOLS[0], name: `t${i}`, serverToolName: `t${i}` }));
    const all = plan(many, ['standard', 'standard']);
    const subset = { ...all, items: all.items.map((i, k) => ({ ...i, offered: many.slice(0, k === 0 ? 3 : 5).map((t) => t.name) })) } as Plan;
    const [full] = describeRowLengths(all, cfg(2048), many);
    const [rows] = describeRowLengths(subset, cfg(2048), many);
    const fullList = listTokens(full);
    const m = /tool list ~(\d+) tokens for the 4\.0 tools a row offers on average \(up to 5, tools\.offer; all 60: ~(\d+)\)/.exec(rows)!;
    expect(m).not.toBeNull();
    expect(Number(m[2])).toBe(fullList);
    expect(Number(m[1])).toBe(Math.round((fullList / 60) * 4));
    expect(rows).toContain('within output.maxTokens (2048)');
  });
});
