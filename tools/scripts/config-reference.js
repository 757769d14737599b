#!/usr/bin/env node
// Writes the forge.yaml field reference (path, type, default, description) into README.md, between
// <!-- config-reference:start --> and <!-- config-reference:end -->, from the JSON Schema that the
// loader validates with (packages/core/src/config/forge.schema.json), so the two cannot drift.
//
//   node tools/scripts/config-reference.js            rewrite README.md
//   node tools/scripts/config-reference.js --check    exit 1 when README.md is stale (CI)
//   node tools/scripts/config-reference.js --stdout   print the reference only
// Options: --readme <file>, --schema <file> (defaults: the workspace's README.md and schema).
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { resolve, relative } = require('node:path');

const ROOT = resolve(__dirname, '../..');
const START = '<!-- config-reference:start -->';
const END = '<!-- config-reference:end -->';

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]) : fallback;
}

/** Follows `#/definitions/x` references, keeping the referring node's own keywords (description, default). */
function deref(node, schema) {
  if (!node || !node.$ref) return node || {};
  const target = node.$ref.replace(/^#\//, '').split('/').reduce((n, k) => n[k], schema);
  const { $ref: _ref, ...own } = node;
  return { ...deref(target, schema), ...own };
}

function typeOf(node, schema) {
  const n = deref(node, schema);
  if (n.enum) return n.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (n.anyOf) return [...new Set(n.anyOf.map((a) => typeOf(a, schema)))].join(' or ');
  let t = Array.isArray(n.type) ? n.type.join(' | ') : n.type || (n.properties || n.anyOf ? 'object' : 'any');
  if (t === 'array') t = `list of ${typeOf(n.items, schema)}`;
  else if (t === 'object' && n.additionalProperties && typeof n.additionalProperties === 'object' && !n.properties) {
    t = `map of ${typeOf(n.additionalProperties, schema)}`;
  }
  const bounds = [];
  if (n.minimum !== undefined) bounds.push(`≥ ${n.minimum}`);
  if (n.exclusiveMinimum !== undefined) bounds.push(`> ${n.exclusiveMinimum}`);
  if (n.maximum !== undefined) bounds.push(`≤ ${n.maximum}`);
  if (n.exclusiveMaximum !== undefined) bounds.push(`< ${n.exclusiveMaximum}`);
  if (n.format) bounds.push(n.format);
  return bounds.length ? `${t} (${bounds.join(', ')})` : t;
}

function defaultOf(node, schema) {
  const n = deref(node, schema);
  if (n.default === undefined) return '';
  const text = JSON.stringify(n.default).replace(/"(\w+)":/g, '$1: ').replace(/,(?=\S)/g, ', ');
  return `\`${text}\``;
}

const cell = (text) => String(text || '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');

const MAP_KEY = { overrides: '<tool>', pricing: '<model>' };

/** The row of one field, then the rows of its sub-fields (objects, lists of objects, maps of objects). */
function field(child, path, required, note, schema, out) {
  const c = deref(child, schema);
  out.push({ path, type: typeOf(child, schema), def: defaultOf(child, schema), description: note + (c.description || ''), required });
  const shapes = c.anyOf ? c.anyOf.map((a) => deref(a, schema)) : [c];
  const object = shapes.find((a) => a.properties || (a.anyOf && a.anyOf.length));
  const list = shapes.find((a) => a.type === 'array' && deref(a.items, schema).properties);
  const map = shapes.find((a) => a.additionalProperties && typeof a.additionalProperties === 'object' && deref(a.additionalProperties, schema).properties);
  if (object) rows(object, path, schema, out);
  else if (list) rows(list.items, `${path}[]`, schema, out);
  if (map) {
    const key = path.split('.').pop();
    rows(map.additionalProperties, `${path}.${MAP_KEY[key] || `<${key}>`}`, schema, out);
  }
}

/** Rows of an object's fields, depth first, in schema order. */
function rows(node, path, schema, out) {
  const n = deref(node, schema);
  const at = (key) => (path ? `${path}.${key}` : key);
  const variants = (n.anyOf || []).map((v) => deref(v, schema));
  if (!n.properties && variants.length && variants.every((v) => v.properties)) {
    // One of several object shapes (a stdio or an HTTP server): each field once, marked when only one shape has it.
    const seen = new Set();
    for (const [i, v] of variants.entries()) {
      const label = (n.anyOf[i].$ref || `shape ${i + 1}`).split('/').pop().replace(/Server$/, ' server').replace(/^http/, 'HTTP');
      for (const [key, child] of Object.entries(v.properties)) {
        if (seen.has(key)) continue;
        seen.add(key);
        const only = variants.some((o) => !o.properties[key]);
        field(child, at(key), (v.required || []).includes(key), only ? `(${label} only) ` : '', schema, out);
      }
    }
    return;
  }
  const required = new Set(n.required || []);
  for (const [key, child] of Object.entries(n.properties || {})) field(child, at(key), required.has(key), '', schema, out);
  for (const [pattern, child] of Object.entries(n.patternProperties || {})) {
    out.push({ path: `${pattern.replace(/^\^/, '')}*`, type: 'any', def: '', description: child.description || '', required: false });
  }
}

function reference(schema, schemaPath) {
  const out = [];
  rows(schema, '', schema, out);
  const lines = [
    `<!-- Generated by \`node tools/scripts/config-reference.js\` from ${relative(ROOT, schemaPath)}; edit the schema, not this table. -->`,
    '',
    '| field | type | default | description |',
    '|---|---|---|---|',
    ...out.map((r) => `| \`${r.path}\`${r.required ? ' (required)' : ''} | ${cell(r.type)} | ${cell(r.def)} | ${cell(r.description)} |`),
  ];
  return lines.join('\n');
}

function main() {
  const schemaPath = arg('--schema', resolve(ROOT, 'packages/core/src/config/forge.schema.json'));
  const readmePath = arg('--readme', resolve(ROOT, 'README.md'));
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  const table = reference(schema, schemaPath);
  if (process.argv.includes('--stdout')) {
    process.stdout.write(`${table}\n`);
    return 0;
  }
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) {
    console.error(`${readmePath}: markers ${START} and ${END} not found. Add them (in this order) where the reference belongs.`);
    return 2;
  }
  const next = `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
  if (process.argv.includes('--check')) {
    if (next === readme) {
      console.log(`${relative(process.cwd(), readmePath) || readmePath}: the forge.yaml reference is up to date.`);
      return 0;
    }
    console.error(`${readmePath}: the forge.yaml reference is stale (the schema changed). Run: node tools/scripts/config-reference.js`);
    return 1;
  }
  if (next !== readme) writeFileSync(readmePath, next);
  console.log(`${next === readme ? 'unchanged' : 'updated'} ${readmePath}`);
  return 0;
}

if (require.main === module) process.exitCode = main();
module.exports = { reference };
