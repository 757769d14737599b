// A throwaway copy of this workspace for end-to-end tests of real processes (Nx, the CLI, MCP
// servers): the sources are copied, node_modules is a folder of symlinks to the installed packages
// (workspace packages point at the copy), and Nx keeps its cache inside the copy.
import { execFileSync, spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '../../..');
const COPY = ['package.json', 'package-lock.json', 'nx.json', 'tsconfig.base.json', 'jest.preset.js', '.gitignore', 'packages', 'tools', 'datasets'];
const SKIP = new Set(['node_modules', 'dist', '.nx', '.forge', 'tmp']);

export interface TempWorkspace {
  root: string;
  env: NodeJS.ProcessEnv;
  nx(args: string[], opts?: { env?: NodeJS.ProcessEnv }): SpawnSyncReturns<string>;
  /** nx without blocking this process (needed when a server in this process must answer it). */
  nxAsync(args: string[], opts?: { env?: NodeJS.ProcessEnv }): Promise<{ status: number | null; stdout: string; stderr: string }>;
  git(args: string[]): string;
  read(rel: string): string;
  write(rel: string, text: string): void;
  cleanup(): void;
}

function workspacePackages(): Map<string, string> {
  const map = new Map<string, string>();
  for (const group of ['packages', 'tools']) {
    for (const dir of readdirSync(join(REPO, group))) {
      const pkg = join(REPO, group, dir, 'package.json');
      if (existsSync(pkg)) map.set(JSON.parse(readFileSync(pkg, 'utf8')).name, `${group}/${dir}`);
    }
  }
  return map;
}

function linkNodeModules(root: string): void {
  const own = workspacePackages();
  const nm = join(root, 'node_modules');
  mkdirSync(nm);
  for (const entry of readdirSync(join(REPO, 'node_modules'))) {
    if (entry === '.bin' || entry === '.package-lock.json') continue;
    if (entry.startsWith('@')) {
      mkdirSync(join(nm, entry));
      for (const sub of readdirSync(join(REPO, 'node_modules', entry))) {
        const name = `${entry}/${sub}`;
        symlinkSync(own.has(name) ? join(root, own.get(name)!) : join(REPO, 'node_modules', name), join(nm, name), 'dir');
      }
    } else {
      symlinkSync(own.has(entry) ? join(root, own.get(entry)!) : join(REPO, 'node_modules', entry), join(nm, entry), 'dir');
    }
  }
  symlinkSync(join(REPO, 'node_modules', '.bin'), join(nm, '.bin'), 'dir');
  // Packages with their own nested node_modules (a dependency version that differs from the
  // hoisted one, e.g. zod 3 for the weather server) keep them: link them too.
  for (const dir of own.values()) {
    const nested = join(REPO, dir, 'node_modules');
    if (existsSync(nested) && !existsSync(join(root, dir, 'node_modules'))) symlinkSync(nested, join(root, dir, 'node_modules'), 'dir');
  }
}

export function createTempWorkspace(opts: { datasets?: string[] } = {}): TempWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'forge-ws-'));
  for (const item of COPY) {
    if (!existsSync(join(REPO, item))) continue;
    cpSync(join(REPO, item), join(root, item), {
      recursive: true,
      // packages/<name>/dist is the built plugin, core and CLI that Nx and the bin scripts load.
      filter: (src) => (!SKIP.has(src.split('/').pop()!) || /\/packages\/[^/]+\/dist$/.test(src)) && !/\.(tmp-\d+-\d+)$/.test(src),
    });
  }
  if (opts.datasets) {
    for (const d of readdirSync(join(root, 'datasets'))) if (!opts.datasets.includes(d)) rmSync(join(root, 'datasets', d), { recursive: true });
  }
  linkNodeModules(root);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CI: 'true',
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NX_CACHE_DIRECTORY: join(root, '.nx', 'cache'),
    NX_WORKSPACE_DATA_DIRECTORY: join(root, '.nx', 'workspace-data'),
    FORGE_CACHE_DIR: join(root, '.forge', 'cache'),
  };
  for (const k of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'NX_VERBOSE_LOGGING']) delete env[k];
  const git = (args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', env: { ...env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  git(['init', '-q', '-b', 'main']);
  git(['add', '-A']);
  git(['commit', '-qm', 'initial']);
  return {
    root,
    env,
    nx: (args, o = {}) =>
      spawnSync(process.execPath, [join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), ...args], { cwd: root, env: { ...env, ...o.env }, encoding: 'utf8', timeout: 240_000 }),
    nxAsync: (args, o = {}) =>
      new Promise((resolvePromise) => {
        const child = spawn(process.execPath, [join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), ...args], { cwd: root, env: { ...env, ...o.env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
        child.on('close', (status) => {
          clearTimeout(timer);
          resolvePromise({ status, stdout, stderr });
        });
      }),
    git,
    read: (rel) => readFileSync(join(root, rel), 'utf8'),
    write: (rel, text) => writeFileSync(join(root, rel), text),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
