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
});
