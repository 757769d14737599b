#!/usr/bin/env node
// Start-up time (docs/benchmarks.md, "Start-up"):
//  cli  `mcp-forge --help` from the published package: the three packages are packed (`npm pack`) and
//       installed into an empty temp project (dependencies from the npm registry or its cache); the
//       bin is run N times (and once more through `npx mcp-forge`). With --before <git ref>, the same
//       command from that commit's sources (TypeScript through @swc-node/register, as it used to run).
//  nx   a fully cached `nx run weather-dataset:synthesize` side by side with a trivial cached target
//       of the same workspace (`nx run @mcp-forge/core:build`, one task), alternating, N runs each,
//       daemon off (as in CI). Both are run once first to fill the cache.
// Prints medians (and every run) as JSON.
//   node bench/startup/run.js [cli] [nx] [--runs 5] [--before 78de05b]
const { execFileSync, spawnSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } = require('node:fs');
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

function nxCached() {
  const env = { ...process.env, CI: 'true', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
  for (const k of ['OPENAI_API_KEY', 'OPENAI_BASE_URL']) delete env[k];
  const nx = join(REPO, 'node_modules/nx/dist/bin/nx.js');
  const synth = ['run', 'weather-dataset:synthesize'];
  const trivial = ['run', '@mcp-forge/core:build'];
  time(process.execPath, [nx, ...synth], { cwd: REPO, env });
  time(process.execPath, [nx, ...trivial], { cwd: REPO, env });
  const a = [];
  const b = [];
  for (let i = 0; i < RUNS; i++) {
    const s = time(process.execPath, [nx, ...synth], { cwd: REPO, env });
    if (!/5\/5 hit/.test(s.out)) throw new Error(`weather-dataset:synthesize was not fully cached:\n${s.out.slice(-1500)}`);
    a.push(s.s);
    const t = time(process.execPath, [nx, ...trivial], { cwd: REPO, env });
    if (!/1\/1 hit|existing outputs match the cache|local cache/.test(t.out)) throw new Error(`@mcp-forge/core:build was not cached:\n${t.out.slice(-1500)}`);
    b.push(t.s);
  }
  return {
    synthesize: { command: 'nx run weather-dataset:synthesize (5/5 cached)', medianSeconds: round(median(a)), runs: a.map(round) },
    trivial: { command: 'nx run @mcp-forge/core:build (1/1 cached)', medianSeconds: round(median(b)), runs: b.map(round) },
    differenceSeconds: round(median(a) - median(b)),
  };
}

const result = { node: process.version, runs: RUNS };
if (want('cli')) {
  result.cli = cliPublished();
  if (BEFORE) result.cliBefore = cliBefore(BEFORE);
}
if (want('nx')) result.nx = nxCached();
console.log(JSON.stringify(result, null, 2));
