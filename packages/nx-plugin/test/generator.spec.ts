// `nx g @mcp-forge/nx-plugin:dataset` through real Nx in a temporary git workspace: the scaffolded
// dataset builds with `nx run <name>:synthesize` without edits; bad names and servers fail clearly
// and write nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createTempWorkspace, type TempWorkspace } from './temp-workspace';

let ws: TempWorkspace;
const output = (r: { stdout: string; stderr: string }) => `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');

beforeAll(() => {
  ws = createTempWorkspace({ datasets: [] });
}, 120_000);

afterAll(() => ws?.cleanup());

describe('nx g @mcp-forge/nx-plugin:dataset', () => {
  it('scaffolds forge.yaml and the lock file of a real npm MCP server, and the dataset builds without edits', () => {
    const entry = join(ws.root, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');
    const gen = ws.nx(['g', '@mcp-forge/nx-plugin:dataset', 'demo-dataset', '--server', `node ${entry}`, '--description', 'Knowledge graph demo.']);
    expect({ status: gen.status, out: output(gen).slice(-3000) }).toEqual({ status: 0, out: expect.stringContaining('CREATE datasets/demo-dataset/forge.yaml') });
    expect(output(gen)).toContain('CREATE datasets/demo-dataset/tools.lock.json');

    const text = ws.read('datasets/demo-dataset/forge.yaml');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../packages/core/src/config/forge.schema.json');
    expect(existsSync(join(ws.root, 'datasets/demo-dataset', '../../packages/core/src/config/forge.schema.json'))).toBe(true);
    const doc = parse(text);
    // The absolute path inside the workspace is stored relative to the dataset, so the file can be committed.
    expect(doc.server).toEqual({ command: 'node', args: ['../../node_modules/@modelcontextprotocol/server-memory/dist/index.js'] });
    expect(doc).toMatchObject({ name: 'demo-dataset', description: 'Knowledge graph demo.', samples: 100, execution: 'auto', seed: 42 });
    // The default mix of the schema, every category spelled out so the user can edit it.
    const schema = JSON.parse(readFileSync(join(__dirname, '../../core/src/config/forge.schema.json'), 'utf8'));
    expect(doc.scenarios).toEqual(schema.properties.scenarios.default);
    expect(Object.keys(doc.scenarios)).toEqual(expect.arrayContaining(['standard', 'multiple', 'parallel_multiple', 'irrelevance', 'sequential']));

    const lock = JSON.parse(ws.read('datasets/demo-dataset/tools.lock.json'));
    expect(lock.servers[0].label).toBe('node ../../node_modules/@modelcontextprotocol/server-memory/dist/index.js');
    expect(lock.tools.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['read_graph', 'create_entities', 'search_nodes']));

    const lockBefore = ws.read('datasets/demo-dataset/tools.lock.json');
    const build = ws.nx(['run', 'demo-dataset:synthesize']);
    expect({ status: build.status, out: output(build).slice(-3000) }).toEqual({ status: 0, out: expect.stringContaining('Successfully ran target synthesize') });
    // The generator wrote exactly what `inspect` writes: the lock file is unchanged by the build.
    expect(ws.read('datasets/demo-dataset/tools.lock.json')).toBe(lockBefore);
    const rows = readFileSync(join(ws.root, 'dist/datasets/demo-dataset/train.jsonl'), 'utf8').trim().split('\n');
    expect(rows.length).toBeGreaterThan(20);
    expect(existsSync(join(ws.root, 'dist/datasets/demo-dataset/report.html'))).toBe(true);
  }, 120_000);

  it('stores workspace paths relative to the dataset and links the server project given with --project', () => {
    const gen = ws.nx(['g', '@mcp-forge/nx-plugin:dataset', 'weather-copy', '--server', 'node tools/weather-mcp-server/bin/weather-mcp-server.js', '--project', 'weather-mcp-server']);
    expect({ status: gen.status, out: output(gen).slice(-2000) }).toEqual({ status: 0, out: expect.stringContaining('CREATE datasets/weather-copy/tools.lock.json') });
    expect(parse(ws.read('datasets/weather-copy/forge.yaml')).server).toEqual({ command: 'node', args: ['../../tools/weather-mcp-server/bin/weather-mcp-server.js'], project: 'weather-mcp-server' });
    const affected = ws.nx(['show', 'projects', '--affected', '--files=tools/weather-mcp-server/src/data.ts', '-t', 'synthesize']);
    expect(affected.stdout.split('\n')).toContain('weather-copy');

    const unknown = ws.nx(['g', '@mcp-forge/nx-plugin:dataset', 'other-dataset', '--server', 'node x.js', '--project', 'no-such-project']);
    expect(unknown.status).not.toBe(0);
    expect(output(unknown)).toContain('--project no-such-project: no such Nx project');
  }, 60_000);

  it('rejects a name that is not kebab-case, with a suggestion, and writes nothing', () => {
    const r = ws.nx(['g', '@mcp-forge/nx-plugin:dataset', 'My_Dataset', '--server', 'node whatever.js']);
    expect(r.status).not.toBe(0);
    expect(output(r)).toContain('Invalid dataset name "My_Dataset": use kebab-case');
    expect(output(r)).toContain('e.g. "my-dataset"');
    expect(existsSync(join(ws.root, 'datasets/My_Dataset'))).toBe(false);
  });

  it('rejects the name of an existing dataset or project', () => {
    const again = ws.nx(['g', '@mcp-forge/nx-plugin:dataset', 'demo-dataset', '--server', 'node whatever.js']);
    expect(again.status).not.toBe(0);
    expect(output(again)).toContain('Dataset "demo-dataset" already exists');
    const project = ws.nx(['g', '@mcp-forge/nx-plugin:dataset', 'weather-mcp-server', '--server', 'node whatever.js']);
    expect(project.status).not.toBe(0);
    expect(output(project)).toContain('An Nx project named "weather-mcp-server" already exists');
  });

  it('fails clearly when the server command does not exist, and leaves no directory behind', () => {
    const r = ws.nx(['g', '@mcp-forge/nx-plugin:dataset', 'broken-dataset', '--server', 'no-such-mcp-server-command --flag']);
    expect(r.status).not.toBe(0);
    const text = output(r);
    expect(text).toContain('Cannot create dataset "broken-dataset": the MCP server did not list its tools.');
    expect(text).toContain('command "no-such-mcp-server-command" was not found');
    expect(text).toContain('Nothing was written.');
    expect(existsSync(join(ws.root, 'datasets/broken-dataset'))).toBe(false);
  });
});
