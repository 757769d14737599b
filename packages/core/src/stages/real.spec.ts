import { toOpenAI } from '../formats/openai';
import { toHermes } from '../formats/hermes';
import type { Sample, ToolDef } from '../types';
import { rowToSample } from './real';

const TOOL: ToolDef = { name: 'get_weather', serverToolName: 'get_weather', server: 0, description: 'Weather for a city.', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

const sample: Sample = {
  id: 'w-1',
  seedId: 'w-1',
  source: 'augmented',
  scenario: 'no_tool',
  tool_name: 'get_weather',
  tools: ['get_weather'],
  messages: [
    { role: 'user', content: 'Weather in Oslo?' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', name: 'get_weather', arguments: { city: 'Oslo' } }] },
    { role: 'tool', tool_call_id: 'c1', name: 'get_weather', content: '{"temp": 3}' },
    { role: 'assistant', content: 'It is 3 degrees in Oslo.' },
  ],
  meta: { provider: 'offline', model: 'test', seed: 1 },
};

describe('rowToSample', () => {
  it('takes id, scenario, source and tool_name that an OpenAI row carries beside its format fields', () => {
    const row = { id: 'w-1', scenario: 'no_tool', source: 'augmented', tool_name: 'get_weather', ...toOpenAI(sample, [TOOL]) };
    const s = rowToSample(row, 7);
    // The declared scenario is what the rule checks hold the row to (here: a call in a no_tool row).
    expect({ id: s.id, scenario: s.scenario, source: s.source, tool_name: s.tool_name }).toEqual({ id: 'w-1', scenario: 'no_tool', source: 'augmented', tool_name: 'get_weather' });
  });

  it('infers what a bare OpenAI row does not say, and numbers it by position', () => {
    const s = rowToSample(toOpenAI(sample, [TOOL]), 7, 'seed', 'row');
    expect({ id: s.id, scenario: s.scenario, source: s.source }).toEqual({ id: 'row-7', scenario: 'standard', source: 'seed' });
  });

  it('reads the same fields of a Hermes row as before', () => {
    const s = rowToSample(toHermes(sample, [TOOL]), 0);
    expect({ id: s.id, scenario: s.scenario, source: s.source, tool_name: s.tool_name }).toEqual({ id: 'w-1', scenario: 'no_tool', source: 'augmented', tool_name: 'get_weather' });
  });
});
