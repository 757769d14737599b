// End to end through real Nx processes in a temporary git workspace: inferred targets, a full
// offline build, cache hits and restores, byte-identical rebuilds, per-dataset invalidation and
// `nx affected` following the dataset -> server edge.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createTempWorkspace, type TempWorkspace } from './temp-workspace';
import { checkHermesCalls } from './hermes-calls';

let ws: TempWorkspace;
const out = (name: string, file: string) => join(ws.root, 'dist', 'datasets', name, file);
const run = (args: string[]) => {
  const r = ws.nx(args);
  const text = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0) throw new Error(`nx ${args.join(' ')} exited ${r.status}:\n${text.slice(-4000)}`);
  return text;
};

beforeAll(() => {
  ws = createTempWorkspace({ datasets: ['weather-dataset'] });
  // A second dataset on another server (an npm MCP server), to show what is NOT rebuilt.
  mkdirSync(join(ws.root, 'datasets/everything-dataset'));
  ws.write(
    'datasets/everything-dataset/forge.yaml',
    ['server:', '  command: node', '  args: [../../node_modules/@modelcontextprotocol/server-everything/dist/index.js]', 'samples: 20', 'tools:', '  include: [echo, get-sum]', 'augmentation:', '  factor: 2', 'thresholds:', '  scenarioTolerance: 0.2', ''].join('\n'),
  );
  // As a user would: inspect the new dataset's server and commit its lock file with it.
  run(['run', 'everything-dataset:inspect']);
  ws.git(['add', '-A']);
  ws.git(['commit', '-qm', 'second dataset']);
}, 180_000);

afterAll(() => ws?.cleanup());

describe('nx plugin in a real workspace', () => {
  it('infers the five cacheable targets with their dependencies and inputs', () => {
    const project = JSON.parse(run(['show', 'project', 'weather-dataset', '--json']).split('\n').find((l) => l.startsWith('{'))!);
    expect(Object.keys(project.targets)).toEqual(expect.arrayContaining(['inspect', 'generate', 'augment', 'qc', 'synthesize']));
    expect(project.targets.synthesize.dependsOn).toEqual(['qc']);
    expect(project.targets.generate.dependsOn).toEqual(['inspect']);
    for (const t of ['inspect', 'generate', 'augment', 'qc', 'synthesize']) expect(project.targets[t].cache).toBe(true);
    expect(project.targets.inspect.outputs).toEqual(['{projectRoot}/tools.lock.json']);
    expect(JSON.stringify(project.targets.generate.inputs)).toContain('dependentTasksOutputFiles');
    expect(JSON.stringify(project.targets.generate.inputs)).toMatch(process.platform === 'win32' ? /provider-key\.js/ : /OPENAI_API_KEY:\+key-set/);
    // The provider is resolved once per build (generate); the later stages hash generate's usage.json/plan.json.
    for (const t of ['inspect', 'augment', 'qc', 'synthesize']) expect(JSON.stringify(project.targets[t].inputs)).not.toContain('runtime');
    for (const t of ['augment', 'qc', 'synthesize']) expect(JSON.stringify(project.targets[t].inputs)).toContain('"transitive":true');
  });

  it('builds weather-dataset offline: Hermes train.jsonl with every scenario of the default mix and valid calls', () => {
    const text = run(['run', 'weather-dataset:synthesize']);
    expect(text).toContain('OFFLINE BUILD');
    const { rows, calls, problems } = checkHermesCalls(out('weather-dataset', 'hermes/train.jsonl'), join(ws.root, 'datasets/weather-dataset/tools.lock.json'));
    expect(rows.length).toBeGreaterThan(50);
    // The default mix (forge.yaml gives none): every BFCL category and the project's own scenarios.
    const target: Record<string, number> = {
      standard: 0.3, multiple: 0.15, parallel: 0.07, parallel_multiple: 0.07, sequential: 0.07, multi_turn: 0.05,
      irrelevance: 0.08, no_tool: 0.07, error: 0.06, ambiguous: 0.04, edge: 0.04,
    };
    for (const [scenario, share] of Object.entries(target)) {
      const actual = rows.filter((r) => r.scenario === scenario).length / rows.length;
      expect(rows.some((r) => r.scenario === scenario)).toBe(true);
      expect(Math.abs(actual - share)).toBeLessThanOrEqual(0.02);
    }
    for (const row of rows) {
      expect(row.messages[0].role).toBe('system');
      expect(row.messages[0].content).toContain('<tools>');
    }
    expect(problems).toEqual([]);
    expect(calls).toBeGreaterThan(50);
    // augmentation.factor unset: the pool is what the 30% cap keeps per seed (0.3 / 0.7) times the
    // selection margin 1.5 = 0.643 variants per planned seed: 64 for 100 seeds, 1.643 rows per seed
    // before QC (42 augmented rows can be kept).
    const augment = JSON.parse(readFileSync(out('weather-dataset', 'augment.json'), 'utf8'));
    expect(augment).toMatchObject({ pool: 'cap', keepable: 42, factor: 1.643 });
    // Each family is sized by its plan slot: a planned item that stayed rejected after top-up takes
    // its own variants (0 or 1) away, and no other family's.
    expect(augment.target).toBeLessThanOrEqual(64);
    expect(augment.target).toBeGreaterThanOrEqual(64 - (100 - augment.seeds));
    expect(augment.expansion).toBeLessThanOrEqual((augment.seeds + 64) / augment.seeds + 1e-9);
    expect(augment.expansion).toBeGreaterThan(1.5);
    const report = JSON.parse(readFileSync(out('weather-dataset', 'report.json'), 'utf8'));
    expect(report.counts.augmented / (report.counts.train + report.counts.eval)).toBeLessThanOrEqual(0.3);
    // The margin leaves a choice (some made variants are dropped) and still fills the cap.
    expect(report.counts.droppedAugmented).toBeGreaterThan(0);
    expect(report.counts.augmented).toBeGreaterThanOrEqual(38);
    expect(report.yield).toMatchObject({ rowsBeforeQc: augment.seeds + augment.produced, finalRows: report.counts.train + report.counts.eval });
  });

  it('is a full cache hit the second time, restores outputs after rm -rf dist, and a clean rebuild is byte-identical', () => {
    const before = readFileSync(out('weather-dataset', 'train.jsonl'));
    expect(run(['run', 'weather-dataset:synthesize'])).toMatch(/Nx read the output from the cache instead of running the command for 5 out of 5 tasks|5\/5 hit|\[local cache\]/);
    rmSync(join(ws.root, 'dist'), { recursive: true });
    const restored = run(['run', 'weather-dataset:synthesize']);
    expect(restored).toMatch(/5 out of 5 tasks|5\/5/);
    expect(readFileSync(out('weather-dataset', 'train.jsonl')).equals(before)).toBe(true);
    rmSync(join(ws.root, 'dist'), { recursive: true });
    const clean = run(['run', 'weather-dataset:synthesize', '--skip-nx-cache']);
    expect(clean).not.toMatch(/local cache/);
    expect(readFileSync(out('weather-dataset', 'train.jsonl')).equals(before)).toBe(true);
  });

  it('re-runs only the dataset whose forge.yaml changed', () => {
    run(['run-many', '-t', 'synthesize', '--output-style=static']);
    ws.write('datasets/weather-dataset/forge.yaml', ws.read('datasets/weather-dataset/forge.yaml').replace('samples: 100', 'samples: 60'));
    const text = run(['run-many', '-t', 'synthesize', '--output-style=static']);
    expect(text).toMatch(/everything-dataset:synthesize[^\n]*\[local cache\]/);
    expect(text).not.toMatch(/weather-dataset:synthesize[^\n]*\[local cache\]/);
    expect(text).toMatch(/Nx read the output from the cache instead of running the command for 5 out of 10 tasks/);
    ws.git(['checkout', 'datasets/weather-dataset/forge.yaml']);
  });

  it('selects weather-dataset in nx affected when the weather server changes, and not the other dataset', () => {
    const graph = run(['graph', '--file=graph.json']);
    expect(graph).toBeDefined();
    const deps = JSON.parse(ws.read('graph.json')).graph.dependencies['weather-dataset'];
    expect(deps).toEqual(expect.arrayContaining([expect.objectContaining({ target: 'weather-mcp-server', type: 'static' })]));
    ws.write('tools/weather-mcp-server/src/data.ts', `${ws.read('tools/weather-mcp-server/src/data.ts')}\n// a change to the server\n`);
    const affected = run(['show', 'projects', '--affected', '--base=HEAD', '-t', 'synthesize']);
    expect(affected).toContain('weather-dataset');
    expect(affected).not.toContain('everything-dataset');
    const built = run(['affected', '-t', 'synthesize', '--base=HEAD', '--output-style=static']);
    expect(built).toContain('weather-dataset:synthesize');
    expect(built).not.toContain('everything-dataset:');
  });
});
