import { applyPools, harvestValues, minimalArgs, singular } from './harvest';
import type { LiveTools } from './execute';
import type { ToolDef } from '../types';
import { createRng } from '../util/rng';

const tool = (name: string, props: Record<string, unknown>, required: string[] = []): ToolDef => ({
  name,
  serverToolName: name,
  server: 0,
  description: name,
  inputSchema: { type: 'object', properties: props, required },
  annotations: { readOnlyHint: true },
});

const tree = [
  { name: 'notes', type: 'directory', children: [{ name: 'todo.md', type: 'file' }, { name: 'ideas.md', type: 'file' }] },
  { name: 'data', type: 'directory', children: [{ name: 'prices.csv', type: 'file' }] },
];

// A stand-in for the MCP connection pool (the pipeline passes any LiveTools in).
function live(results: Record<string, unknown>, seen: [string, unknown][]): LiveTools {
  return {
    call: async (t, args) => {
      seen.push([t.name, args]);
      return { text: JSON.stringify(results[t.name] ?? { error: 'unknown' }), isError: !(t.name in results) };
    },
  };
}

describe('value pools', () => {
  it('fills required objects and path-like strings, and gives up on other required scalars', () => {
    expect(minimalArgs({ type: 'object', properties: { filter: { type: 'object', properties: {} } }, required: ['filter'] })).toEqual({ filter: {} });
    expect(minimalArgs({ type: 'object', properties: { path: { type: 'string' } }, required: ['path'] })).toEqual({ path: '.' });
    expect(minimalArgs({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] })).toBeUndefined();
    expect(singular('cities')).toBe('city');
    expect(singular('paths')).toBe('path');
  });

  it('harvests scalar values by key and relative paths of a tree, by kind', async () => {
    const seen: [string, unknown][] = [];
    const tools = [
      tool('list_cities', {}),
      tool('directory_tree', { path: { type: 'string' } }, ['path']),
      tool('get_weather', { city: { type: 'string' } }, ['city']),
    ];
    const pools = await harvestValues(tools, live({ list_cities: { cities: [{ city: 'Oslo' }, { city: 'Rome' }] }, directory_tree: tree }, seen), () => true);
    expect(seen).toEqual([
      ['list_cities', {}],
      ['directory_tree', { path: '.' }],
    ]);
    expect(pools.get('city')).toEqual(['Oslo', 'Rome']);
    expect(pools.get('path:dir')).toEqual(['data', 'notes']);
    expect(pools.get('path:file')).toEqual(['data/prices.csv', 'notes/ideas.md', 'notes/todo.md']);
  });

  it('uses pooled values where the schema allows, directories or files by the tool name', async () => {
    const pools = await harvestValues([tool('directory_tree', { path: { type: 'string' } }, ['path'])], live({ directory_tree: tree }, []), () => true);
    const schema = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
    const rng = createRng(3);
    for (let i = 0; i < 10; i++) {
      expect(['data', 'notes']).toContain(applyPools({ path: 'x' }, schema, pools, rng, 'list_directory').path);
      expect(['data/prices.csv', 'notes/ideas.md', 'notes/todo.md']).toContain(applyPools({ path: 'x' }, schema, pools, rng, 'read_text_file').path);
    }
    const many = { type: 'object', properties: { paths: { type: 'array', items: { type: 'string' } } } };
    const picked = applyPools({ paths: ['a', 'b'] }, many, pools, rng, 'read_multiple_files').paths as string[];
    expect(new Set(picked).size).toBe(2);
    // A pooled value the schema rejects is not used.
    const strict = { type: 'object', properties: { path: { type: 'string', pattern: '^/' } } };
    expect(applyPools({ path: '/abs' }, strict, pools, rng, 'read_text_file')).toEqual({ path: '/abs' });
  });

  it('pools the ids and names of listed objects under their owner (channel_id, entity_name) for arguments of that name', async () => {
    const results = {
      list_channels: { channels: [{ id: 'C01AB2CD3', name: 'general' }, { id: 'C04EF5GH6', name: 'random' }] },
      read_graph: { entities: [{ name: 'Ada Lovelace', entityType: 'person' }, { name: 'Acme Labs', entityType: 'organization' }] },
    };
    const pools = await harvestValues([tool('list_channels', {}), tool('read_graph', {})], live(results, []), () => true);
    expect(pools.get('channel_id')).toEqual(['C01AB2CD3', 'C04EF5GH6']);
    expect(pools.get('channel_name')).toEqual(['general', 'random']);
    expect(pools.get('entity_name')).toEqual(['Acme Labs', 'Ada Lovelace']);
    const rng = createRng(5);
    const post = { type: 'object', properties: { channelId: { type: 'string' }, text: { type: 'string' } } };
    const del = { type: 'object', properties: { entityNames: { type: 'array', items: { type: 'string' } } } };
    for (let i = 0; i < 10; i++) {
      const args = applyPools({ channelId: '4f9e2c1a-uuid', text: 'hello' }, post, pools, rng, 'post_message');
      expect(['C01AB2CD3', 'C04EF5GH6']).toContain(args.channelId);
      expect(args.text).toBe('hello');
      for (const n of applyPools({ entityNames: ['Somebody'] }, del, pools, rng, 'delete_entities').entityNames as string[]) expect(['Acme Labs', 'Ada Lovelace']).toContain(n);
    }
  });
});
