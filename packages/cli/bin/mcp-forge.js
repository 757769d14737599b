#!/usr/bin/env node
// Runs the built JavaScript (packages/cli/dist, made by `npm run build`; in this repository by `npm ci`
// and before the tests). Nothing is compiled at start-up.
let main;
try {
  ({ main } = require('../dist/main.js'));
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('dist/main.js')) {
    console.error('mcp-forge: the CLI is not built (packages/cli/dist/main.js is missing). Run `npm run build` at the repository root, then try again.');
    process.exit(2);
  }
  throw err;
}
main(process.argv).then((code) => {
  process.exitCode = code;
});
