import { simulate } from './simulate';
import { actionPhrase } from './text';
import { createRng } from '../../util/rng';
import { validateAgainst } from '../../schema/validator';
import type { ToolDef } from '../../types';

const def = (name: string, description: string, props: Record<string, unknown>, extra: Partial<ToolDef> = {}): ToolDef => ({
  name, serverToolName: name, server: 0, description, inputSchema: { type: 'object', properties: props }, ...extra,
});

describe('offline simulated results', () => {
  const add = def('add_observations', 'Add new observations to existing entities in the knowledge graph', { observations: { type: 'array' } }, {
    outputSchema: { type: 'object', properties: { results: { type: 'array', items: { type: 'object', properties: { entityName: { type: 'string' }, addedObservations: { type: 'array', items: { type: 'string' } } }, required: ['entityName', 'addedObservations'] } } }, required: ['results'] },
  });

  it('echo the entity a call names and still conform to the outputSchema', () => {
    for (let seed = 1; seed < 30; seed++) {
      const args = { observations: [{ entityName: 'Ada Lovelace', contents: ['likes tea'] }] };
      const out = JSON.parse(simulate(add, { id: 'c', name: add.name, arguments: args }, false, createRng(seed)));
      expect(validateAgainst(add.outputSchema!, out).valid).toBe(true);
      for (const r of out.results) expect(r.entityName).toBe('Ada Lovelace');
    }
  });

  it('fail in a way that fits the call: not found for the id asked for, out of range for a number', () => {
    const get = def('get_ticket', 'Get one ticket by its id.', { ticket_id: { type: 'string' } });
    expect(simulate(get, { id: 'c', name: 'get_ticket', arguments: { ticket_id: 'TCK-0404' } }, true, createRng(3))).toContain('"TCK-0404"');
    const page = def('list_pages', 'List pages.', { limit: { type: 'integer' } });
    expect(simulate(page, { id: 'c', name: 'list_pages', arguments: { limit: 900 } }, true, createRng(3))).toMatch(/limit: 900 is outside the accepted range/);
  });

  it('words requests in the description\'s terms, never the identifier', () => {
    expect(actionPhrase(def('get_current_weather', 'Get the current weather (temperature, condition) for a city.', {}))).toBe('get the current weather');
    expect(actionPhrase(def('slack_add_reaction', '', {}))).toBe('add the reaction in slack');
    expect(actionPhrase(def('search_nodes_by_name', '', {}))).toBe('search the nodes by name');
  });
});
