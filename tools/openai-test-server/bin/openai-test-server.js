#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step).
require('@swc-node/register');
require('../src/main.ts');
