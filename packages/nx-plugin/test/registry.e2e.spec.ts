// The packages as users get them: a local npm registry (Verdaccio, from npm, as a child process on a
// free localhost port, storage in a temp dir) receives the three built packages with `npm publish`;
// everything else it proxies from the npm registry. Then, in a fresh Nx workspace outside this
// repository: `nx add @mcp-forge/nx-plugin`, the dataset generator with an `npx -y` server, an offline
// build, a cached rerun and `nx affected`; and `npx -y @mcp-forge/cli generate` in an empty directory.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const REPO = resolve(__dirname, '../../..');
const PACKAGES = ['core', 'cli', 'nx-plugin'];
const NX_VERSION = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).devDependencies.nx as string;
const SERVER = 'npx -y @modelcontextprotocol/server-memory';

let tmp: string;
let registry: ChildProcess | undefined;
let url: string;
let env: NodeJS.ProcessEnv;
let ws: string;

const clean = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
const out = (r: SpawnSyncReturns<string>) => clean(`${r.stdout}\n${r.stderr}`);

function run(cmd: string, args: string[], cwd: string, timeout = 300_000): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout });
}

/** Runs and expects exit 0, showing the output's tail when it fails. */
function ok(cmd: string, args: string[], cwd: string, timeout?: number): string {
  const r = run(cmd, args, cwd, timeout);
  expect({ cmd: `${cmd} ${args.join(' ')}`, status: r.status, tail: out(r).slice(-4000) }).toEqual({ cmd: `${cmd} ${args.join(' ')}`, status: 0, tail: expect.any(String) });
  return out(r);
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

async function waitFor(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not come up within ${ms} ms`);
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'forge-registry-'));
  const port = await freePort();
  url = `http://127.0.0.1:${port}/`;
  const upstream = spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).stdout.trim() || 'https://registry.npmjs.org/';
  writeFileSync(
    join(tmp, 'verdaccio.yaml'),
    [
      `storage: ${join(tmp, 'storage')}`,
      'auth:',
      `  htpasswd: { file: ${join(tmp, 'htpasswd')}, max_users: 10 }`,
      'uplinks:',
      `  npmjs: { url: ${upstream}, timeout: 60s, maxage: 30m }`,
      'packages:',
      // Our packages exist only here: never proxied, so the test cannot pick up someone else's.
      "  '@mcp-forge/*': { access: $all, publish: $authenticated }",
      "  '**': { access: $all, publish: $authenticated, proxy: npmjs }",
      'max_body_size: 100mb',
      'log: { type: stdout, format: pretty, level: error }',
      '',
    ].join('\n'),
  );
  registry = spawn(process.execPath, [join(REPO, 'node_modules/verdaccio/bin/verdaccio'), '--config', join(tmp, 'verdaccio.yaml'), '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
  await waitFor(async () => (await fetch(`${url}-/ping`)).ok, 60_000, `Verdaccio on ${url}`);

  // A user for publishing (Verdaccio's htpasswd auth answers npm's adduser request with a token).
  const user = await fetch(`${url}-/user/org.couchdb.user:forge`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'forge', password: 'forge-e2e-password', email: 'forge@example.test', type: 'user' }),
  });
  const { token } = (await user.json()) as { token: string };
  expect(token).toBeTruthy();
  const npmrc = join(tmp, 'npmrc');
  writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\nfund=false\naudit=false\nupdate-notifier=false\n`);

  env = { ...process.env, CI: 'true', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', npm_config_userconfig: npmrc, npm_config_registry: url };
  for (const k of Object.keys(env)) if (/^(OPENAI_|NX_VERBOSE|NX_CACHE_DIRECTORY|NX_WORKSPACE_DATA)/.test(k) || k === 'FORGE_CACHE_DIR') delete env[k];

  // The packages as built (globalSetup ran the build), published as they would be to npm.
  for (const p of PACKAGES) ok('npm', ['publish', join(REPO, 'packages', p), '--registry', url], tmp, 120_000);

  // A fresh, empty Nx workspace with the pinned nx, outside this repository.
  ws = join(tmp, 'ws');
  mkdirSync(ws);
  writeFileSync(join(ws, 'package.json'), `${JSON.stringify({ name: 'fresh', version: '0.0.0', private: true, devDependencies: { nx: NX_VERSION } }, null, 2)}\n`);
  writeFileSync(join(ws, 'nx.json'), `${JSON.stringify({ $schema: './node_modules/nx/schemas/nx-schema.json', analytics: false, neverConnectToCloud: true }, null, 2)}\n`);
  writeFileSync(join(ws, '.gitignore'), 'node_modules\ndist\n.nx\n');
  ok('git', ['init', '-q', '-b', 'main'], ws);
  ok('npm', ['install'], ws, 600_000);
  ok('git', ['add', '-A'], ws);
  ok('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'fresh workspace'], ws);
}, 900_000);

afterAll(() => {
  registry?.kill();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const nx = (args: string[], timeout?: number) => ok(process.execPath, [join(ws, 'node_modules/nx/dist/bin/nx.js'), ...args], ws, timeout);

describe('installed from a registry into a fresh Nx workspace', () => {
  it('nx add registers the plugin (init generator) and installs it from the registry', () => {
    nx(['add', '@mcp-forge/nx-plugin'], 600_000);
    const pkg = JSON.parse(readFileSync(join(ws, 'package.json'), 'utf8'));
    expect(pkg.devDependencies['@mcp-forge/nx-plugin']).toBeDefined();
    expect(JSON.parse(readFileSync(join(ws, 'node_modules/@mcp-forge/nx-plugin/package.json'), 'utf8')).version).toBe(JSON.parse(readFileSync(join(REPO, 'packages/nx-plugin/package.json'), 'utf8')).version);
    // Published code only: no TypeScript sources, no dev-only loader.
    expect(existsSync(join(ws, 'node_modules/@mcp-forge/nx-plugin/src'))).toBe(false);
    expect(existsSync(join(ws, 'node_modules/@swc-node/register'))).toBe(false);
    expect(JSON.parse(readFileSync(join(ws, 'nx.json'), 'utf8')).plugins).toEqual([{ plugin: '@mcp-forge/nx-plugin', options: { datasets: 'datasets/*' } }]);
    expect(readFileSync(join(ws, '.gitignore'), 'utf8').split('\n')).toContain('.forge/');
  });

  it('generates a dataset for an npx server, builds it offline, replays it from the cache, and selects it as affected after an edit', () => {
    const gen = nx(['g', '@mcp-forge/nx-plugin:dataset', 'memory-data', '--server', SERVER, '--samples', '8', '--tools', 'create_entities,read_graph,search_nodes', '--no-interactive'], 400_000);
    expect(gen).toContain('CREATE datasets/memory-data/forge.yaml');
    const doc = parse(readFileSync(join(ws, 'datasets/memory-data/forge.yaml'), 'utf8'));
    expect(doc.server).toEqual({ command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] });
    expect(doc.tools).toEqual({ include: ['create_entities', 'read_graph', 'search_nodes'] });
    ok('git', ['add', '-A'], ws);
    ok('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'dataset'], ws);

    const first = nx(['run', 'memory-data:synthesize'], 400_000);
    expect(first).toContain('Successfully ran target synthesize');
    expect(first).toContain('OFFLINE BUILD');
    const train = readFileSync(join(ws, 'dist/datasets/memory-data/train.jsonl'), 'utf8').trim().split('\n');
    expect(train.length).toBeGreaterThan(0);
    const usage = JSON.parse(readFileSync(join(ws, 'dist/datasets/memory-data/usage.json'), 'utf8'));
    expect(usage.usage.requests).toBe(0);

    const again = nx(['run', 'memory-data:synthesize']);
    expect(again).toMatch(/Cache:\s+5\/5 hit/);
    expect(again).toContain('Nx read the output from the cache');

    const file = join(ws, 'datasets/memory-data/forge.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^samples: 8$/m, 'samples: 9'));
    const affected = nx(['show', 'projects', '--affected', '--base=HEAD', '-t', 'synthesize']);
    expect(affected.split('\n').map((l) => l.trim())).toContain('memory-data');
    const rerun = nx(['affected', '-t', 'synthesize', '--base=HEAD'], 400_000);
    expect(rerun).toContain('memory-data:generate');
    expect(rerun).not.toMatch(/Cache:\s+5\/5 hit/);
  });

  it('npx -y @mcp-forge/cli generate works in an empty directory', () => {
    const dir = join(tmp, 'empty');
    mkdirSync(dir);
    ok('npx', ['-y', '@mcp-forge/cli', 'generate', '--server', SERVER, '--samples', '20'], dir, 400_000);
    const rows = readFileSync(join(dir, 'forge-out/train.jsonl'), 'utf8').trim().split('\n');
    expect(rows.length).toBeGreaterThan(10);
    expect(existsSync(join(dir, 'forge-out/report.html'))).toBe(true);
  });
});
