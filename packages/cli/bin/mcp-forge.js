#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step), as Nx does for the plugin.
require('@swc-node/register');
require('../src/main.ts')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
