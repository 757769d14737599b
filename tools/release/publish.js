#!/usr/bin/env node
// The nx-release-publish target of each package (`nx release publish [--registry URL] [--tag T]
// [--dry-run]`): `npm publish` of the built package directory (cwd). Nx forwards its options as
// --name=value arguments; they are translated to npm's.
const { spawnSync } = require('node:child_process');

const args = ['publish'];
for (const a of process.argv.slice(2)) {
  const m = /^--([^=]+)(?:=(.*))?$/.exec(a);
  if (!m) continue;
  const [, key, value = 'true'] = m;
  if (key === 'registry' || key === 'tag' || key === 'access' || key === 'otp') args.push(`--${key}`, value);
  else if ((key === 'dryRun' || key === 'dry-run') && value !== 'false') args.push('--dry-run');
}
const r = spawnSync('npm', args, { stdio: 'inherit' });
process.exit(r.status ?? 1);
