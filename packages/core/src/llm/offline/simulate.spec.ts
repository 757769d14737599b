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
    expect(actionPhrase(def('delete_entities', 'Delete multiple entities and their associated relations from the knowledge graph', {}))).toBe('delete multiple entities and their associated relations from the knowledge graph');
    expect(actionPhrase(def('sync_all', 'Move every record and every attachment of the workspace into the archive of the other account', {}))).toBe('move every record and every attachment of the workspace');
  });
});

// Per-conversation state: the real tool listings of the memory server and the weather server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Message, ToolCall } from '../../types';
import { stateFrom } from '../../stages/conversation-state';
import { readsSimulatedState } from '../../stages/execute';

const lockTools = (dataset: string): ToolDef[] =>
  (JSON.parse(readFileSync(join(__dirname, '../../../../../datasets', dataset, 'tools.lock.json'), 'utf8')).tools as ToolDef[]).map((t) => ({ ...t, server: 0, serverToolName: t.serverToolName ?? t.name }));

/** Runs calls one after another, each simulated with the conversation so far (as the pipeline does). */
function converse(tools: ToolDef[], seed: number, calls: [string, unknown][], failing: number[] = []): { messages: Message[]; results: unknown[] } {
  const messages: Message[] = [{ role: 'user', content: 'please' }];
  const results: unknown[] = [];
  calls.forEach(([name, args], i) => {
    const tool = tools.find((t) => t.name === name)!;
    const call: ToolCall = { id: `call_${i}`, name, arguments: args };
    messages.push({ role: 'assistant', content: null, tool_calls: [call] });
    const text = simulate(tool, call, failing.includes(i), createRng(seed * 100 + i), undefined, stateFrom(messages, tools));
    messages.push({ role: 'tool', tool_call_id: call.id, name, content: failing.includes(i) ? `Error: ${text}` : text });
    try {
      results.push(JSON.parse(text));
    } catch {
      results.push(text);
    }
  });
  return { messages, results };
}

describe('offline simulated results keep one state per conversation', () => {
  const memory = lockTools('memory-dataset');
  const weather = lockTools('weather-dataset');
  const byName = (tools: ToolDef[], n: string) => tools.find((t) => t.name === n)!;

  it('memory: created entities come back from open_nodes, search_nodes and read_graph, with their observations', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const { results } = converse(memory, seed, [
        ['create_entities', { entities: [{ name: 'Grace Hopper', entityType: 'person', observations: ['wrote COBOL'] }, { name: 'Acme Labs', entityType: 'organization', observations: [] }] }],
        ['create_relations', { relations: [{ from: 'Grace Hopper', to: 'Acme Labs', relationType: 'works_at' }] }],
        ['add_observations', { observations: [{ entityName: 'Grace Hopper', contents: ['admiral'] }] }],
        ['open_nodes', { names: ['Grace Hopper'] }],
        ['search_nodes', { query: 'acme' }],
        ['read_graph', {}],
      ]);
      const [, , , opened, searched, graph] = results as { entities: { name: string; entityType: string; observations: string[] }[]; relations?: unknown[] }[];
      for (const [i, name] of [[3, 'open_nodes'], [4, 'search_nodes'], [5, 'read_graph']] as const) {
        expect(validateAgainst(byName(memory, name).outputSchema!, results[i]).errors).toEqual([]);
      }
      expect(opened.entities).toEqual([{ name: 'Grace Hopper', entityType: 'person', observations: ['wrote COBOL', 'admiral'] }]);
      expect(searched.entities.map((e) => e.name)).toEqual(['Acme Labs']);
      expect(graph.entities.map((e) => e.name)).toEqual(['Grace Hopper', 'Acme Labs']);
      expect(graph.relations).toEqual([{ from: 'Grace Hopper', to: 'Acme Labs', relationType: 'works_at' }]);
    }
  });

  it('memory: write results name exactly the entities and observations of the call, one item per item', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const entities = [{ name: 'Grace Hopper', entityType: 'person', observations: ['wrote COBOL'] }, { name: 'Acme Labs', entityType: 'organization', observations: [] }];
      const { results } = converse(memory, seed, [
        ['create_entities', { entities }],
        ['add_observations', { observations: [{ entityName: 'Grace Hopper', contents: ['admiral', 'teacher'] }] }],
      ]);
      expect(validateAgainst(byName(memory, 'create_entities').outputSchema!, results[0]).errors).toEqual([]);
      expect(validateAgainst(byName(memory, 'add_observations').outputSchema!, results[1]).errors).toEqual([]);
      expect((results[0] as { entities: unknown }).entities).toEqual(entities);
      expect((results[1] as { results: unknown }).results).toEqual([{ entityName: 'Grace Hopper', addedObservations: ['admiral', 'teacher'] }]);
    }
  });

  it('memory: a delete removes the entity, its relations and deleted observations', () => {
    const { results } = converse(memory, 3, [
      ['create_entities', { entities: [{ name: 'Ada', entityType: 'person', observations: ['likes tea', 'math'] }, { name: 'Bob', entityType: 'person', observations: [] }] }],
      ['create_relations', { relations: [{ from: 'Ada', to: 'Bob', relationType: 'knows' }] }],
      ['delete_observations', { deletions: [{ entityName: 'Ada', observations: ['math'] }] }],
      ['delete_entities', { entityNames: ['Bob'] }],
      ['read_graph', {}],
      ['open_nodes', { names: ['Bob'] }],
    ]);
    const del = results[3] as { success: boolean; message: string };
    expect(del.success).toBe(true);
    expect(del.message).toContain('Bob');
    expect(results[4]).toEqual({ entities: [{ name: 'Ada', entityType: 'person', observations: ['likes tea'] }], relations: [] });
    expect((results[5] as { entities: unknown[] }).entities).toEqual([]);
  });

  it('weather: an alert that was set is listed by list_alerts with the same id, city and condition', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const condition = { metric: 'wind', operator: 'above', threshold: 40 };
      const { results, messages } = converse(weather, seed, [
        ['set_weather_alert', { city: 'Oslo', condition }],
        ['list_alerts', {}],
      ]);
      const set = results[0] as { id: string; city: string };
      const listed = results[1] as { count: number; items: { id: string; city: string; condition: unknown }[] };
      expect(set.city).toBe('Oslo');
      expect(listed.count).toBe(1);
      expect(listed.items[0]).toMatchObject({ id: set.id, city: 'Oslo', condition });
      // With a live server the list would come from the server that never saw the simulated write: it is simulated.
      expect(readsSimulatedState(byName(weather, 'list_alerts'), { id: 'x', name: 'list_alerts', arguments: {} }, weather, messages.slice(0, 3))).toBe(true);
      expect(readsSimulatedState(byName(weather, 'list_alerts'), { id: 'x', name: 'list_alerts', arguments: {} }, weather, messages.slice(0, 1))).toBe(false);
    }
  });

  it('fails with a not-found only for an id nothing earlier contains, and with the accepted range for a number', () => {
    const get = def('get_ticket', 'Get one ticket by its id.', { ticket_id: { type: 'string' } });
    const create = def('create_ticket', 'Create a ticket.', { title: { type: 'string' } });
    const tools = [get, create];
    const unknown = converse(tools, 1, [['get_ticket', { ticket_id: 'TCK-404' }]], [0]);
    expect(unknown.results[0]).toMatch(/TCK-404.*(not found|does not exist|404)|(not found|does not exist|404).*TCK-404/);
    for (let seed = 1; seed <= 10; seed++) {
      // The id the create returns (the same conversation start gives the same id), then a failing get of it.
      const id = (converse(tools, seed, [['create_ticket', { title: 'Printer jam' }]]).results[0] as { id: string }).id;
      const known = converse(tools, seed, [['create_ticket', { title: 'Printer jam' }], ['get_ticket', { ticket_id: id }]], [1]);
      expect((known.results[0] as { id: string }).id).toBe(id);
      expect(String(known.results[1])).toContain(id);
      expect(String(known.results[1])).not.toMatch(/not found|does not exist|404/);
    }
    const days = byName(weather, 'get_forecast');
    expect(simulate(days, { id: 'c', name: 'get_forecast', arguments: { days: 9 } }, true, createRng(1))).toBe('invalid days: 9 is outside the accepted range (1 to 7)');
    // A number inside the declared range is never blamed as out of range.
    for (let seed = 1; seed <= 10; seed++) expect(simulate(days, { id: 'c', name: 'get_forecast', arguments: { days: 3 } }, true, createRng(seed))).not.toMatch(/outside the accepted range/);
  });

  it('is deterministic: the same conversation gives the same bytes', () => {
    const calls: [string, unknown][] = [['set_weather_alert', { city: 'Lima', condition: { metric: 'humidity', operator: 'below', threshold: 20 } }], ['list_alerts', {}]];
    expect(converse(weather, 9, calls).messages).toEqual(converse(weather, 9, calls).messages);
  });
});

describe('offline write results for an empty list', () => {
  it('return an empty list, not invented items', () => {
    const memory = lockTools('memory-dataset');
    const rel = memory.find((t) => t.name === 'create_relations')!;
    for (let seed = 1; seed <= 10; seed++) {
      expect(JSON.parse(simulate(rel, { id: 'c', name: rel.name, arguments: { relations: [] } }, false, createRng(seed)))).toEqual({ relations: [] });
    }
  });
});

describe('offline user turns', () => {
  const weather = lockTools('weather-dataset');
  const t = (n: string) => weather.find((x) => x.name === n)!;
  const GREETING = /\b(hello|hi there|hey|good morning|hi)\b/i;
  const ctx = (seed: number, style: string, targets: ToolDef[], argHints: Record<string, unknown>[], scenario = 'parallel') =>
    ({ seed, scenario, persona: 'a commuter', style, tools: weather, targets, argHints, stage: 'generate' }) as unknown as import('../provider').PlanContext;

  it('greet at most once: the second request of a message and later turns go straight to what is wanted', async () => {
    const { OfflineProvider } = await import('./provider');
    const p = new OfflineProvider();
    for (let seed = 1; seed <= 40; seed++) {
      for (const style of ['polite', 'casual', 'friendly']) {
        const first = await p.userRequest(ctx(seed, style, [t('get_current_weather'), t('get_forecast')], [{ city: 'Oslo' }, { city: 'Rome', days: 3 }]));
        const [, ...rest] = first.split(/ (?:Also|And at the same time|Plus|Separately), /);
        expect(rest.length).toBe(1);
        expect({ first, rest: GREETING.test(rest[0]) }).toEqual({ first, rest: false });
        expect(first).toContain('Oslo');
        expect(first).toContain('Rome');
        const later = await p.userRequest(ctx(seed, style, [t('get_forecast')], [{ city: 'Lima', days: 2 }], 'multi_turn'), [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'ok' }]);
        expect({ later, greets: GREETING.test(later) }).toEqual({ later, greets: false });
        expect(later).toContain('Lima');
      }
    }
  });
});

describe('offline final answers', () => {
  it('report the result without naming the tool identifier, in every style', async () => {
    const { OfflineProvider } = await import('./provider');
    const p = new OfflineProvider();
    const weather = lockTools('weather-dataset');
    const forecast = weather.find((x) => x.name === 'get_forecast')!;
    const messages: Message[] = [
      { role: 'user', content: 'Forecast for Oslo, 2 days?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', name: 'get_forecast', arguments: { city: 'Oslo', days: 2 } }] },
      { role: 'tool', tool_call_id: 'c1', name: 'get_forecast', content: '{"city":"Oslo","days":[{"day":1,"high":7},{"day":2,"high":9}]}' },
    ];
    for (const style of ['concise', 'polite', 'casual', 'detailed', 'terse', 'friendly']) {
      for (let seed = 1; seed <= 5; seed++) {
        const ctx = { seed, scenario: 'standard', persona: 'a commuter', style, tools: weather, targets: [forecast], argHints: [{ city: 'Oslo', days: 2 }], stage: 'generate' } as unknown as import('../provider').PlanContext;
        const answer = await p.reply(ctx, messages, 'final');
        expect(answer).not.toContain('get_forecast');
        expect(answer).toMatch(/7|9/);
      }
    }
  });
});
