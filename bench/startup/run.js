#!/usr/bin/env node
// Start-up time (docs/benchmarks.md, "Start-up"):
//  cli  `mcp-forge --help` from the published package: the three packages are packed (`npm pack`) and
//       installed into an empty temp project (dependencies from the npm registry or its cache); the
//       bin is run N times (and once more through `npx mcp-forge`). With --before <git ref>, the same
//       command from that commit's sources (TypeScript through @swc-node/register, as it used to run).
//  nx   a fully cached `nx run weather-dataset:synthesize` side by side with a trivial cached target
//       of the same workspace (`nx run bench-noop:noop`, one `echo` task added to a copy of the
//       workspace at HEAD, or at --before <ref>), alternating, N runs each, daemon off (as in CI).
//       Both are run once first to fill the cache.
// Prints medians (and every run) as JSON.
//   node bench/startup/run.js [cli] [nx] [--runs 5] [--before 78de05b]
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const REPO = resolve(__dirname, '../..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const RUNS = Number(opt('--runs', '5'));
const BEFORE = opt('--before');
const which = argv.filter((a, i) => !a.startsWith('--') && !(i > 0 && argv[i - 1].startsWith('--')));
const want = (n) => !which.length || which.includes(n);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x) => Math.round(x * 1000) / 1000;

function time(cmd, args, opts) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return { s, out: `${r.stdout}${r.stderr}` };
}

function cliPublished() {
  const dir = mkdtempSync(join(tmpdir(), 'forge-bench-cli-'));
  try {
    const tarballs = ['core', 'cli'].map((p) => {
      const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir, join(REPO, 'packages', p)], { encoding: 'utf8' }).trim().split('\n').pop();
      return join(dir, name);
    });
    writeFileSync(join(dir, 'package.json'), '{ "name": "bench", "version": "0.0.0", "private": true }\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], { cwd: dir, stdio: 'ignore' });
    const bin = join(dir, 'node_modules/.bin/mcp-forge');
    time(bin, ['--help'], { cwd: dir }); // warm the file cache
    const runs = Array.from({ length: RUNS }, () => time(bin, ['--help'], { cwd: dir }).s);
    const npx = Array.from({ length: RUNS }, () => time('npx', ['mcp-forge', '--help'], { cwd: dir }).s);
    return { command: 'node_modules/.bin/mcp-forge --help (installed from npm pack tarballs)', medianSeconds: round(median(runs)), runs: runs.map(round), npxMedianSeconds: round(median(npx)), npxRuns: npx.map(round) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The CLI of an older commit, run as it was then (its own packages/*, this checkout's node_modules). */
function cliBefore(ref) {
  const dir = mkdtempSync(join(tmpdir(), 'forge-bench-before-'));
  try {
    execFileSync('sh', ['-c', `git -C "${REPO}" archive ${ref} packages | tar -x -C "${dir}"`]);
    const nm = join(dir, 'node_modules');
    mkdirSync(join(nm, '@mcp-forge'), { recursive: true });
    for (const e of readdirSync(join(REPO, 'node_modules'))) {
      if (e === '@mcp-forge') continue;
      symlinkSync(join(REPO, 'node_modules', e), join(nm, e));
    }
    for (const p of ['core', 'cli', 'nx-plugin']) symlinkSync(join(dir, 'packages', p), join(nm, '@mcp-forge', p));
    const bin = join(dir, 'packages/cli/bin/mcp-forge.js');
    time(process.execPath, [bin, '--help'], { cwd: dir });
    const runs = Array.from({ length: RUNS }, () => time(process.execPath, [bin, '--help'], { cwd: dir }).s);
    return { command: `node packages/cli/bin/mcp-forge.js --help at ${ref}`, medianSeconds: round(median(runs)), runs: runs.map(round) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A copy of the workspace at a git ref (or the working tree's HEAD) in a temp dir: its packages and
 * datasets, node_modules linked to this checkout's (workspace packages to the copy's), its own Nx
 * cache, the packages built when the ref has a build, and one extra project with a trivial cached
 * target (`bench-noop:noop`, an `echo`) to compare against.
 */
function workspaceCopy(ref) {
  const dir = mkdtempSync(join(tmpdir(), 'forge-bench-nx-'));
  execFileSync('sh', ['-c', `git -C "${REPO}" archive ${ref} | tar -x -C "${dir}"`]);
  const nm = join(dir, 'node_modules');
  mkdirSync(join(nm, '@mcp-forge'), { recursive: true });
  for (const e of readdirSync(join(REPO, 'node_modules'))) {
    if (e === '@mcp-forge') continue;
    symlinkSync(join(REPO, 'node_modules', e), join(nm, e));
  }
  for (const p of readdirSync(join(REPO, 'node_modules/@mcp-forge'))) {
    const own = ['core', 'cli', 'nx-plugin'].includes(p) ? join(dir, 'packages', p) : join(REPO, 'node_modules/@mcp-forge', p);
    symlinkSync(own, join(nm, '@mcp-forge', p));
  }
  for (const t of readdirSync(join(dir, 'tools'))) {
    const nested = join(REPO, 'tools', t, 'node_modules');
    if (existsSync(nested)) symlinkSync(nested, join(dir, 'tools', t, 'node_modules'));
  }
  if (existsSync(join(dir, 'tools/scripts/build-packages.js'))) execFileSync(process.execPath, ['tools/scripts/build-packages.js'], { cwd: dir, stdio: 'ignore' });
  mkdirSync(join(dir, 'bench-noop'));
  writeFileSync(join(dir, 'bench-noop/project.json'), JSON.stringify({ name: 'bench-noop', targets: { noop: { command: 'echo noop', cache: true, inputs: ['{projectRoot}/project.json'] } } }));
  return dir;
}

function nxCached(ref) {
  const root = workspaceCopy(ref);
  try {
    const env = { ...process.env, CI: 'true', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_CACHE_DIRECTORY: join(root, '.nx/cache'), NX_WORKSPACE_DATA_DIRECTORY: join(root, '.nx/workspace-data') };
    for (const k of ['OPENAI_API_KEY', 'OPENAI_BASE_URL']) delete env[k];
    const nx = join(REPO, 'node_modules/nx/dist/bin/nx.js');
    const synth = ['run', 'weather-dataset:synthesize'];
    const trivial = ['run', 'bench-noop:noop'];
    time(process.execPath, [nx, ...synth], { cwd: root, env });
    time(process.execPath, [nx, ...trivial], { cwd: root, env });
    const a = [];
    const b = [];
    for (let i = 0; i < RUNS; i++) {
      const s = time(process.execPath, [nx, ...synth], { cwd: root, env });
      if (!/5\/5 hit/.test(s.out)) throw new Error(`weather-dataset:synthesize was not fully cached:\n${s.out.slice(-1500)}`);
      a.push(s.s);
      const t = time(process.execPath, [nx, ...trivial], { cwd: root, env });
      if (!/1\/1 hit/.test(t.out)) throw new Error(`bench-noop:noop was not cached:\n${t.out.slice(-1500)}`);
      b.push(t.s);
    }
    return {
      ref,
      synthesize: { command: 'nx run weather-dataset:synthesize (5/5 cached)', medianSeconds: round(median(a)), runs: a.map(round) },
      trivial: { command: 'nx run bench-noop:noop (1/1 cached)', medianSeconds: round(median(b)), runs: b.map(round) },
      differenceSeconds: round(median(a) - median(b)),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const result = { node: process.version, runs: RUNS };
if (want('cli')) {
  result.cli = cliPublished();
  if (BEFORE) result.cliBefore = cliBefore(BEFORE);
}
if (want('nx')) {
  result.nx = nxCached('HEAD');
  if (BEFORE) result.nxBefore = nxCached(BEFORE);
}
console.log(JSON.stringify(result, null, 2));
