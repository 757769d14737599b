#!/usr/bin/env node
// Builds the publishable packages (core, cli, nx-plugin) to packages/<name>/dist: `tsc -b` over their
// tsconfig.lib.json (incremental: a second run with nothing changed takes about a second), then the
// non-TypeScript files the code reads at run time (the prompt templates, *.md) are copied beside it.
//
//   node tools/scripts/build-packages.js            all three (root `prepare`, run by `npm ci`)
//   node tools/scripts/build-packages.js cli        one package and what it references (`nx build cli`)
//
// Also the Jest globalSetup: tests that start the CLI or Nx as child processes run the built code,
// so the build is brought up to date before any test runs.
const { spawnSync } = require('node:child_process');
const { copyFileSync, mkdirSync, readdirSync, statSync } = require('node:fs');
const { basename, join, resolve } = require('node:path');

const REPO = resolve(__dirname, '../..');
const PACKAGES = ['core', 'cli', 'nx-plugin'];
/** Files under src/ that tsc does not emit but the built code reads. */
const ASSET = /\.md$/;

function copyAssets(srcDir, outDir) {
  for (const entry of readdirSync(srcDir)) {
    const from = join(srcDir, entry);
    if (statSync(from).isDirectory()) {
      if (entry === 'fixtures' || entry === '__fixtures__') continue;
      copyAssets(from, join(outDir, entry));
    } else if (ASSET.test(entry)) {
      mkdirSync(outDir, { recursive: true });
      copyFileSync(from, join(outDir, entry));
    }
  }
}

function build(names = PACKAGES) {
  for (const n of names) {
    if (!PACKAGES.includes(n)) throw new Error(`build-packages: unknown package "${n}"; expected one of ${PACKAGES.join(', ')}.`);
  }
  const tsc = require.resolve('typescript/bin/tsc', { paths: [REPO] });
  const configs = names.map((n) => join('packages', n, 'tsconfig.lib.json'));
  const r = spawnSync(process.execPath, [tsc, '-b', ...configs], { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`build-packages: tsc -b ${configs.join(' ')} failed (exit ${r.status}); see the errors above.`);
  // tsc -b builds the referenced packages too (core for cli and nx-plugin): copy their assets as well.
  for (const n of new Set(names.includes('core') ? names : [...names, 'core'])) copyAssets(join(REPO, 'packages', n, 'src'), join(REPO, 'packages', n, 'dist'));
}

module.exports = async function globalSetup() {
  build();
};
module.exports.build = build;

if (require.main === module) {
  // From a package directory (`npm run build` / `nx build <pkg>`) `.` names that package.
  const args = process.argv.slice(2).map((a) => (a === '.' ? basename(process.cwd()) : a));
  try {
    build(args.length ? args : PACKAGES);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
