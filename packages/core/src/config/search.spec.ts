// loadConfig against real directories: cosmiconfig finds each search place, only in the given directory.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, ForgeError } from '../errors';
import { CONFIG_SEARCH_PLACES, loadConfig } from './loader';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'forge-config-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe('loadConfig', () => {
  it.each([
    ['forge.yaml', 'server:\n  command: node\nsamples: 11\n'],
    ['forge.yml', 'server:\n  command: node\nsamples: 11\n'],
    ['.forgerc.yaml', 'server:\n  command: node\nsamples: 11\n'],
    ['forge.config.json', '{ "server": { "command": "node" }, "samples": 11 }\n'],
  ])('finds %s in a dataset directory', async (name, text) => {
    const file = write(`datasets/demo/${name}`, text);
    const cfg = await loadConfig(path.join(root, 'datasets/demo'), { workspaceRoot: root });
    expect(cfg.filepath).toBe(file);
    expect(cfg.dir).toBe(path.join(root, 'datasets/demo'));
    expect(cfg.samples).toBe(11);
    expect(cfg.servers[0]).toMatchObject({ command: 'node', cwd: path.join(root, 'datasets/demo') });
  });

  it('prefers the search places in order (forge.yaml first)', async () => {
    for (const [i, name] of CONFIG_SEARCH_PLACES.entries()) {
      write(name, name.endsWith('.json') ? `{"server": {"command": "node"}, "samples": ${i + 1}}` : `server: { command: node }\nsamples: ${i + 1}\n`);
    }
    expect((await loadConfig(root)).filepath).toBe(path.join(root, 'forge.yaml'));
    rmSync(path.join(root, 'forge.yaml'));
    expect((await loadConfig(root)).filepath).toBe(path.join(root, 'forge.yml'));
  });

  it('loads a config file given by path, whatever its name', async () => {
    const file = write('configs/weather.yaml', 'server: { url: "http://localhost:9/mcp" }\n');
    const cfg = await loadConfig(file);
    expect(cfg.filepath).toBe(file);
    expect(cfg.servers).toEqual([{ url: 'http://localhost:9/mcp', headers: {}, startupTimeoutMs: 15000, callTimeoutMs: 30000 }]);
  });

  it('does not look in parent directories', async () => {
    write('forge.yaml', 'server: { command: node }\n');
    mkdirSync(path.join(root, 'datasets/empty'), { recursive: true });
    await expect(loadConfig(path.join(root, 'datasets/empty'))).rejects.toThrow(
      `No forge config in ${path.join(root, 'datasets/empty')} (looked for forge.yaml, forge.yml, .forgerc.yaml, forge.config.json).`,
    );
  });

  it('reports an empty forge.yaml instead of skipping it', async () => {
    const file = write('forge.yaml', '\n');
    write('forge.yml', 'server: { command: node }\n');
    const error = await loadConfig(root).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      `Invalid config (1 problem):\n${file}:1:1: the config is empty; it needs at least a \`server\` (a \`command\` to start or a \`url\` to connect to)`,
    );
  });

  it('names a path that does not exist', async () => {
    const missing = path.join(root, 'nope');
    const error = await loadConfig(missing).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ForgeError);
    expect((error as ForgeError).code).toBe('CONFIG');
    expect((error as ForgeError).message).toBe(`Config not found: ${missing} does not exist.`);
  });

  it('checks paths against the workspace root it is given', async () => {
    const file = write('ws/datasets/a/forge.yaml', 'server: { command: node }\noutput: { dir: ../../../outside }\n');
    const error = await loadConfig(path.dirname(file), { workspaceRoot: path.join(root, 'ws') }).catch((err: unknown) => err);
    expect((error as ConfigError).issues).toEqual([
      {
        path: 'output.dir',
        line: 2,
        column: 16,
        message: `resolves to ${path.join(root, 'outside')}, outside the workspace ${path.join(root, 'ws')}; use a path inside the workspace`,
      },
    ]);
  });
});
