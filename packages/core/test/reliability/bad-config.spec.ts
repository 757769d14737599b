// Bad-input catalogue, part 1: forge.yaml files that must fail with one exact, positioned message.
// These are loaded from real files through loadConfig, as the pipeline does. The loader's own spec
// (packages/core/src/config/loader.spec.ts) holds ~40 more (unknown keys with "did you mean", wrong
// types, enum values, sums, env references, /etc/passwd in mix.real, ...): none is repeated here.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { ConfigError, describeError } from '../../src/errors';
import { workspace, type Workspace } from './helpers/workspace';

const HINT = 'Fix the fields above; the schema is packages/core/src/config/forge.schema.json.';

let ws: Workspace;
beforeAll(() => (ws = workspace('server: { command: node }\n')));
afterAll(() => ws.cleanup());

/** Loads `text` from `rel` (a forge.yaml inside the workspace) and returns the message the user sees. */
async function messageOf(text: string, rel = 'datasets/ds/forge.yaml'): Promise<{ message: string; file: string }> {
  const file = ws.write(rel, text);
  try {
    await loadConfig(file, { workspaceRoot: ws.root, env: {} });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return { message: describeError(err), file };
  }
  throw new Error('expected a ConfigError');
}

const one = (file: string, problem: string) => `Invalid config (1 problem):\n${file}:${problem}\n${HINT}`;

describe('bad forge.yaml: exact messages with file:line:column', () => {
  it.each([
    ['B01 malformed YAML: an unclosed quote', 'server: { command: "node }\nsamples: 3\n', '3:1: YAML syntax error: Missing closing "quote'],
    ['B02 malformed YAML: tab indentation', 'server:\n\tcommand: node\n', '2:1: YAML syntax error: Tabs are not allowed as indentation'],
    ['B03 a mistyped value: "yes" for a boolean', 'server: { command: node }\ngenerator: { batch: "yes" }\n', '2:21: generator.batch: expected true or false, got string "yes"'],
    ['B04 a mistyped key: snake_case in judge', 'server: { command: node }\njudge: { min_score: 0.9 }\n', '2:10: judge.min_score: unknown key `min_score`; did you mean `minScore`?'],
    ['B06 an impossible split: every row in eval', 'server: { command: node }\nmix: { split: { eval: 1 } }\n', '2:23: mix.split.eval: must be less than 1, got 1'],
    ['B07 an impossible mix: more than all rows augmented', 'server: { command: node }\nmix: { maxAugmentedShare: 1.5 }\n', '2:27: mix.maxAugmentedShare: must be at most 1, got 1.5'],
  ])('%s', async (_id, text, problem) => {
    const { message, file } = await messageOf(text);
    expect(message).toBe(one(file, problem));
  });

  it('B05 an impossible scenario mix: fractions outside 0..1 that still sum to 1', async () => {
    const { message, file } = await messageOf('server: { command: node }\nscenarios: { standard: 1.2, no_tool: -0.2 }\n');
    expect(message).toBe(
      `Invalid config (2 problems):\n${file}:2:24: scenarios.standard: must be at most 1, got 1.2\n${file}:2:38: scenarios.no_tool: must be at least 0, got -0.2\n${HINT}`,
    );
  });

  it('B08 a YAML alias bomb ("billion laughs") is refused with a position, not a bare parser error', async () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd']]) rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    const { message, file } = await messageOf(`x-bomb:\n  ${rows.join('\n  ')}\nserver: { command: node }\n`);
    expect(message).toBe(one(file, '3:10: YAML aliases expand to too many values (more than 1000 copies of anchored values); write the values out instead of nesting aliases'));
  });

  it('B08b an alias without its anchor names the alias and where it is', async () => {
    const { message, file } = await messageOf('samples: 3\nserver: *base\n');
    expect(message).toBe(one(file, '2:9: YAML syntax error: the alias *base has no anchor &base before it; define `&base` first'));
  });

  it('B09 mix.real reaching outside the workspace (../../x.jsonl)', async () => {
    const { message, file } = await messageOf('server: { command: node }\nmix:\n  real: [{ path: ../../x.jsonl }]\n', 'ds2/forge.yaml');
    expect(message).toBe(one(file, `3:18: mix.real[0].path: resolves to ${ws.root.replace(/\/[^/]+$/, '')}/x.jsonl, outside the workspace ${ws.root}; use a path inside the workspace`));
  });

  it('B10 output.dir outside the workspace (../../elsewhere)', async () => {
    const { message, file } = await messageOf('server: { command: node }\noutput: { dir: ../../elsewhere }\n', 'ds2/forge.yaml');
    expect(message).toBe(one(file, `2:16: output.dir: resolves to ${ws.root.replace(/\/[^/]+$/, '')}/elsewhere, outside the workspace ${ws.root}; use a path inside the workspace`));
  });
});

describe('paths that leave the workspace through a symbolic link inside it', () => {
  // A link can arrive with a pull request as easily as the forge.yaml that uses it.
  let outside: string;
  beforeAll(() => {
    outside = mkdtempSync(join(tmpdir(), 'forge-outside-'));
    writeFileSync(join(outside, 'secrets.jsonl'), '{"messages": []}\n');
    mkdirSync(join(ws.root, 'links'), { recursive: true });
    symlinkSync(join(outside, 'secrets.jsonl'), join(ws.root, 'links', 'human.jsonl'));
    symlinkSync(outside, join(ws.root, 'links', 'out'));
    symlinkSync(join(outside, 'not-yet'), join(ws.root, 'links', 'dangling'));
  });
  afterAll(() => rmSync(outside, { recursive: true, force: true }));

  it('B40 mix.real naming a link to a file outside the workspace', async () => {
    const { message, file } = await messageOf('server: { command: node }\nmix:\n  real: [{ path: ../../links/human.jsonl }]\n');
    expect(message).toBe(one(file, `3:18: mix.real[0].path: resolves to ${ws.root}/links/human.jsonl, a symbolic link to ${outside}/secrets.jsonl, outside the workspace ${ws.root}; use a path inside the workspace`));
  });

  it('B41 output.dir under a linked directory outside the workspace (not created yet)', async () => {
    const { message, file } = await messageOf('server: { command: node }\noutput: { dir: ../../links/out/dist }\n');
    expect(message).toBe(one(file, `2:16: output.dir: resolves to ${ws.root}/links/out/dist, a symbolic link to ${outside}/dist, outside the workspace ${ws.root}; use a path inside the workspace`));
  });

  it('B42 output.dir that is a dangling link to a directory outside the workspace', async () => {
    const { message, file } = await messageOf('server: { command: node }\noutput: { dir: ../../links/dangling }\n');
    expect(message).toBe(one(file, `2:16: output.dir: resolves to ${ws.root}/links/dangling, a symbolic link to ${outside}/not-yet, outside the workspace ${ws.root}; use a path inside the workspace`));
  });
});
