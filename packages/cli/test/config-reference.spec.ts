// tools/scripts/config-reference.js: the forge.yaml reference in README.md is generated from the JSON
// Schema; `--check` keeps the two in step (it fails when the README is stale).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../../..');
const SCRIPT = join(REPO, 'tools/scripts/config-reference.js');
const SCHEMA = join(REPO, 'packages/core/src/config/forge.schema.json');
const script = (args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { cwd: REPO, encoding: 'utf8' });

let tmp: string;
beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'forge-ref-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every field path of the schema, walked independently of the script (objects, lists, maps, $refs). */
function schemaPaths(): string[] {
  const schema = JSON.parse(readFileSync(SCHEMA, 'utf8'));
  const deref = (n: any): any => (n?.$ref ? deref(schema.definitions[n.$ref.split('/').pop()]) : n ?? {});
  const paths: string[] = [];
  const walk = (node: any, path: string) => {
    const n = deref(node);
    for (const shape of (n.anyOf ?? []).map(deref)) {
      if (shape.type === 'array') walk(shape.items, path);
      else walk(shape, path);
    }
    for (const [key, child] of Object.entries<any>(n.properties ?? {})) {
      const p = path ? `${path}.${key}` : key;
      paths.push(p);
      const c = deref(child);
      if (c.type === 'array' && deref(c.items).properties) walk(c.items, `${p}[]`);
      else if (c.additionalProperties && deref(c.additionalProperties).properties) walk(c.additionalProperties, `${p}.<${key === 'pricing' ? 'model' : 'tool'}>`);
      else walk(c, p);
    }
  };
  walk(schema, '');
  return [...new Set(paths)];
}

describe('config-reference.js', () => {
  it('--check passes: README.md holds the reference of the current schema', () => {
    const r = script(['--check']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toContain('up to date');
  });

  it('lists every field of the schema with its type, default and description', () => {
    const table = execFileSync(process.execPath, [SCRIPT, '--stdout'], { encoding: 'utf8' });
    const listed = new Set([...table.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]));
    const expected = schemaPaths();
    expect(expected.length).toBeGreaterThan(60);
    expect(expected.filter((p) => !listed.has(p))).toEqual([]);
    expect(table).toMatch(/^\| `samples` \| integer \(≥ 1, ≤ 1000000\) \| `50` \| Number of seed samples/m);
    expect(table).toMatch(/^\| `generator\.provider` \| "auto" \\\| "openai" \\\| "offline" \| `"auto"` \|/m);
    expect(table).toMatch(/^\| `server\.command` \(required\) \| string \|  \| \(stdio server only\)/m);
    expect(table).toMatch(/^\| `mix\.real\[\]\.path` \(required\) \|/m);
  });

  it('--check fails (exit 1) on a stale README and names the command that fixes it; a run fixes it', () => {
    const readme = join(tmp, 'README.md');
    const current = readFileSync(join(REPO, 'README.md'), 'utf8');
    writeFileSync(readme, current.replace(/(\| `dedup\.bands` \|[^\n]*)/, '| `dedup.bands` | integer | `16` | outdated |'));
    const stale = script(['--check', '--readme', readme]);
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('stale');
    expect(stale.stderr).toContain('node tools/scripts/config-reference.js');
    expect(script(['--readme', readme]).status).toBe(0);
    expect(readFileSync(readme, 'utf8')).toBe(current);
    expect(script(['--check', '--readme', readme]).status).toBe(0);
  });

  it('says where to put the markers when a README has none (exit 2)', () => {
    const readme = join(tmp, 'NO-MARKERS.md');
    writeFileSync(readme, '# nothing here\n');
    const r = script(['--check', '--readme', readme]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('<!-- config-reference:start -->');
  });
});
