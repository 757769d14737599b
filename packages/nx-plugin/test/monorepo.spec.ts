// The monorepo as CI sees it, in a temporary git copy of this workspace with its three datasets
// (weather-dataset, filesystem-dataset, memory-dataset): `nx run-many` builds them all offline, and
// `nx affected -t synthesize` selects and builds only the datasets a change concerns.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTempWorkspace, type TempWorkspace } from './temp-workspace';

const DATASETS = ['filesystem-dataset', 'memory-dataset', 'weather-dataset'];
let ws: TempWorkspace;

const run = (args: string[]) => {
  const r = ws.nx(args);
  const text = `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  if (r.status !== 0) throw new Error(`nx ${args.join(' ')} exited ${r.status}:\n${text.slice(-4000)}`);
  return text;
};
const affected = () => run(['show', 'projects', '--affected', '--base=HEAD', '-t', 'synthesize']).trim().split('\n').filter((l) => DATASETS.includes(l.trim())).sort();
const rows = (name: string, file = 'train.jsonl') => readFileSync(join(ws.root, 'dist/datasets', name, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

/** Edits a file for one test and restores the committed version afterwards. */
function withChange(file: string, change: (text: string) => string, body: () => void): void {
  ws.write(file, change(ws.read(file)));
  try {
    body();
  } finally {
    ws.git(['checkout', '--', file]);
  }
}

beforeAll(() => {
  ws = createTempWorkspace();
}, 120_000);

afterAll(() => ws?.cleanup());

describe('the datasets of this monorepo', () => {
  it('nx run-many -t synthesize builds all three datasets offline', () => {
    const text = run(['run-many', '-t', 'synthesize', '--output-style=static']);
    expect(text).toContain('Successfully ran target synthesize for 3 projects and 12 tasks they depend on');
    for (const name of DATASETS) expect([name, rows(name).length > 100]).toEqual([name, true]);
    // The memory server read the fixture graph (MEMORY_FILE_PATH resolves), not an empty one.
    const memoryResults = rows('memory-dataset', 'openai/train.jsonl').flatMap((r) => r.messages.filter((m: { role: string }) => m.role === 'tool'));
    expect(memoryResults.some((m: { content: string }) => m.content.includes('Harbor Street Bakery'))).toBe(true);
    // Nothing in the datasets depends on where the workspace is checked out.
    for (const name of DATASETS) expect(readFileSync(join(ws.root, 'dist/datasets', name, 'train.jsonl'), 'utf8')).not.toContain(ws.root);
  }, 150_000);

  it('hashes the version of the npm MCP server each dataset runs', () => {
    for (const [name, pkg] of [['memory-dataset', '@modelcontextprotocol/server-memory'], ['filesystem-dataset', '@modelcontextprotocol/server-filesystem']]) {
      const project = JSON.parse(run(['show', 'project', name, '--json']).split('\n').find((l) => l.startsWith('{'))!);
      const external = project.targets.generate.inputs.find((i: { externalDependencies?: string[] }) => i.externalDependencies);
      expect([name, external.externalDependencies]).toEqual([name, expect.arrayContaining([pkg])]);
    }
  });

  it('a change to one forge.yaml makes nx affected build only that dataset', () => {
    withChange('datasets/memory-dataset/forge.yaml', (t) => t.replace('samples: 100', 'samples: 30'), () => {
      expect(affected()).toEqual(['memory-dataset']);
      const text = run(['affected', '-t', 'synthesize', '--base=HEAD', '--output-style=static']);
      expect(text).toMatch(/nx run memory-dataset:synthesize/);
      expect(text).not.toMatch(/filesystem-dataset:|weather-dataset:/);
    });
  }, 90_000);

  it("a change to the weather server's source makes nx affected build only weather-dataset", () => {
    withChange('tools/weather-mcp-server/src/data.ts', (t) => `${t}\n// a change to the server\n`, () => {
      expect(affected()).toEqual(['weather-dataset']);
      const text = run(['affected', '-t', 'synthesize', '--base=HEAD', '--output-style=static']);
      expect(text).toMatch(/nx run weather-dataset:synthesize/);
      expect(text).not.toMatch(/filesystem-dataset:|memory-dataset:/);
    });
  }, 90_000);

  it('a change to the fixture data selects the datasets whose servers read it', () => {
    withChange('datasets/fixtures/filesystem/notes/todo.txt', (t) => `${t}[ ] Order new aprons\n`, () => {
      expect(affected()).toEqual(['filesystem-dataset', 'memory-dataset']);
    });
  });

  it('a change to one lock file selects only that dataset', () => {
    withChange('datasets/filesystem-dataset/tools.lock.json', (t) => t.replace('"Read the complete contents', '"Read all the contents'), () => {
      expect(affected()).toEqual(['filesystem-dataset']);
    });
  });
});
