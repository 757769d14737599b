// forge.yaml as the dataset generator writes it for --startupTimeoutMs and --tools: valid for core's
// loader, which then applies both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseConfigText } from '@mcp-forge/core';
import { renderForgeYaml } from './forge-yaml';

let root: string;
beforeAll(() => (root = mkdtempSync(join(tmpdir(), 'forge-yaml-'))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const render = (extra: object) =>
  renderForgeYaml({ name: 'memory-data', root, datasetDir: join(root, 'datasets/memory-data'), cwd: root, server: 'npx -y @modelcontextprotocol/server-memory', samples: 8, ...extra });

describe('renderForgeYaml', () => {
  it('writes server.startupTimeoutMs and tools.include when given, and core loads them', () => {
    const text = render({ startupTimeoutMs: 90000, tools: ['read_graph', 'search_*'] });
    const doc = parse(text);
    expect(doc.server).toEqual({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], startupTimeoutMs: 90000 });
    expect(doc.tools).toEqual({ include: ['read_graph', 'search_*'] });
    expect(doc.samples).toBe(8);
    const cfg = parseConfigText(text, join(root, 'datasets/memory-data/forge.yaml'), { workspaceRoot: root });
    expect(cfg.servers[0].startupTimeoutMs).toBe(90000);
  });

  it('leaves both out by default (the schema defaults apply)', () => {
    const doc = parse(render({}));
    expect(doc.server).toEqual({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] });
    expect(doc.tools).toBeUndefined();
  });
});
