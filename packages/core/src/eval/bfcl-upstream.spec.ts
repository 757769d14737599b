// The checker against verdicts recorded from BFCL's own checker (gorilla 6ea57973,
// bfcl_eval/eval_checker/ast_eval/ast_checker.py, Python categories) on 3,379 outputs built from the
// sample: first acceptable answers, parallel calls reversed or one short, renamed functions, every
// answered parameter omitted or replaced by variants (case and punctuation, int/float/string/bool
// swaps, reversed or emptied lists, emptied dicts), extra and schema-only parameters, and calls on
// irrelevance entries. __fixtures__/bfcl-verdicts.py re-records the verdicts from a gorilla checkout
// (set BFCL_CASES_OUT=<file> to write the cases this spec builds).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTurn } from './checker';
import { PyFloat, isDict, parsePyJson, pyJsonStringify, pyType } from './py-value';
import type { ActualCall, ExpectedCall, FunctionDoc } from './types';

interface Entry {
  id: string;
  category: string;
  function: FunctionDoc[];
  possible_answer?: ExpectedCall[];
}
interface Case {
  id: string;
  category: string;
  kind: string;
  functions: FunctionDoc[];
  expected: ExpectedCall[];
  output: ActualCall[];
}

const entries = parsePyJson(readFileSync(join(__dirname, '__fixtures__', 'bfcl_v3_samples.json'), 'utf8')) as Entry[];
const verdicts = JSON.parse(readFileSync(join(__dirname, '__fixtures__', 'bfcl_v3_upstream_verdicts.json'), 'utf8')) as Record<string, boolean>;

const firstDict = (a: Record<string, unknown>) => Object.fromEntries(Object.entries(a).flatMap(([k, v]) => ((Array.isArray(v) ? v[0] : v) === '' ? [] : [[k, Array.isArray(v) ? v[0] : v]])));

function firstAnswer(e: Entry): ActualCall[] {
  return e.possible_answer!.map((call) => {
    const [name, params] = Object.entries(call)[0];
    const doc = e.function.find((f) => f.name === name)!;
    const props = doc.parameters.properties as Record<string, unknown>;
    const req = (doc.parameters.required as string[] | undefined) ?? [];
    const args: Record<string, unknown> = {};
    for (const [p, alts] of Object.entries(params)) {
      if (!(p in props)) continue;
      const f = req.includes(p) ? alts.find((a) => a !== '') : alts[0];
      if (f === '' || f === undefined) continue;
      args[p] = isDict(f) ? firstDict(f) : Array.isArray(f) && f.length && f.every(isDict) ? f.map((d) => firstDict(d as Record<string, unknown>)) : f;
    }
    return { name, arguments: args };
  });
}

const num = (v: unknown) => (v instanceof PyFloat ? v.value : (v as number));

function variants(v: unknown): unknown[] {
  switch (pyType(v)) {
    case 'str': {
      const s = v as string;
      return [s.toUpperCase(), ` ${s}.`, `${s}x`, s.replace(/ /g, '_'), 5];
    }
    case 'int': {
      const n = v as number;
      return [new PyFloat(n), n + 1, String(n), n === 1 ? true : n];
    }
    case 'float':
      return [Math.round(num(v)), String(num(v))];
    case 'bool':
      return [!v, v ? 1 : 0, String(v)];
    case 'list': {
      const l = v as unknown[];
      return [[...l].reverse(), l.map((x) => (typeof x === 'string' ? x.toUpperCase() : x)), l.map((x) => (pyType(x) === 'int' ? new PyFloat(x as number) : pyType(x) === 'float' ? Math.round(num(x)) : x)), []];
    }
    case 'dict':
      return [{}, Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, typeof x === 'string' ? x.toUpperCase() : x]))];
    default:
      return [];
  }
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const e of entries) {
    // Java and JavaScript answers are source text that BFCL converts first: checked in bfcl-sample.spec.ts.
    if (e.category === 'java' || e.category === 'javascript') continue;
    const expected = e.possible_answer ?? [];
    const push = (kind: string, output: ActualCall[]) => out.push({ id: e.id, category: e.category, kind, functions: e.function, expected, output });
    if (e.category === 'irrelevance') {
      push('none', []);
      push('call', [{ name: e.function[0].name, arguments: {} }]);
      continue;
    }
    const good = firstAnswer(e);
    push('first', good);
    if (good.length > 1) {
      push('reversed', [...good].reverse());
      push('dropped', good.slice(1));
    }
    push('renamed', good.map((c, i) => (i ? c : { ...c, name: `${c.name}_v2` })));
    const a0 = good[0].arguments as Record<string, unknown>;
    const withArgs = (args: Record<string, unknown>) => [{ ...good[0], arguments: args }, ...good.slice(1)];
    for (const p of Object.keys(a0)) {
      const { [p]: _omitted, ...rest } = a0;
      push(`omit:${p}`, withArgs(rest));
      variants(a0[p]).forEach((v, i) => push(`var${i}:${p}`, withArgs({ ...a0, [p]: v })));
    }
    push('extra', withArgs({ ...a0, zz_extra: 1 }));
    const doc = e.function.find((f) => f.name === good[0].name)!;
    for (const p of Object.keys(doc.parameters.properties as object)) if (!(p in a0)) push(`add:${p}`, withArgs({ ...a0, [p]: 'x' }));
  }
  return out;
}

const all = cases();
if (process.env.BFCL_CASES_OUT) {
  writeFileSync(process.env.BFCL_CASES_OUT, all.map((c) => pyJsonStringify({ ...c, output: c.output.map((o) => ({ [o.name]: o.arguments })) })).join('\n'));
}

describe("BFCL's own verdicts", () => {
  it('covers every recorded case', () => {
    expect(all).toHaveLength(3379);
    expect(Object.keys(verdicts).sort()).toEqual(all.map((c) => `${c.id}|${c.kind}`).sort());
    // Both verdicts are well represented.
    const valid = Object.values(verdicts).filter(Boolean).length;
    expect(valid).toBeGreaterThan(800);
    expect(all.length - valid).toBeGreaterThan(1500);
  });

  it('agrees with every one of them', () => {
    const disagreements = all.filter((c) => checkTurn(c.functions, c.output, c.expected).valid !== verdicts[`${c.id}|${c.kind}`]).map((c) => `${c.id}|${c.kind}`);
    expect(disagreements).toEqual([]);
  });
});
