#!/usr/bin/env node
// What an `evaluate` result depends on besides its options (an Nx `runtime` input): the content hash
// of the eval split's truth file and the endpoint from the environment. Never prints a key.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
let truth = 'missing';
try {
  truth = createHash('sha256').update(readFileSync(process.argv[2])).digest('hex');
} catch {
  truth = 'missing';
}
console.log(['eval.truth.jsonl', truth, 'endpoint', process.env.OPENAI_BASE_URL || 'https://api.openai.com/v1'].join(' '));
