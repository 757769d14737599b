#!/usr/bin/env node
// Prints what the provider of a build resolves to (an Nx `runtime` input): `offline`, or `openai`
// with the endpoint and models. Never prints a key: only whether one is set decides the provider.
const { readFileSync } = require('node:fs');
const { parse } = require('yaml');
let doc = {};
try {
  doc = parse(readFileSync(process.argv[2], 'utf8')) || {};
} catch {
  doc = {};
}
const gen = doc.generator || {};
const judge = doc.judge || {};
const env = process.env;
let provider = gen.provider || 'auto';
if (provider === 'auto') provider = env.OPENAI_API_KEY || env.OPENAI_BASE_URL || gen.baseURL ? 'openai' : 'offline';
if (provider === 'offline') console.log('offline');
else console.log(['openai', gen.baseURL || env.OPENAI_BASE_URL || 'https://api.openai.com/v1', gen.model || 'gpt-5', judge.model || 'gpt-5-mini'].join(' '));
