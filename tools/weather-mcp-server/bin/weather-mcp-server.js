#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step), like the Nx plugin and executors do.
require('@swc-node/register');
require('../src/main.ts');
