// The AST checker, following the rules of BFCL's public checker (gorilla, berkeley-function-call-
// leaderboard, eval_checker/ast_eval/ast_checker.py):
// - a turn with no expected call is correct only without a call (irrelevance);
// - the number of calls must match; one call is checked against the one answer, several are matched
//   in any order, each answer taking the first unmatched call that satisfies it;
// - per call: the name matches (`.` may come back as `_`, as OpenAI-style names require); every
//   required parameter is present; no parameter outside the schema or the answer; types match the
//   declared type (an int is accepted for a float; `any` means string); strings compare after
//   removing spaces and `,./-_*^` and lowercasing; lists element by element, dicts key by key,
//   lists of dicts dict by dict; an answer parameter without `""` among its values must be given.
// Types of the Java and JavaScript categories are read with BFCL's type maps, on values already
// converted from source text (a tool call's JSON arguments are values, not source code).
import { PyFloat, isDict, pyEquals, pyIn, pyType, type PyType } from './py-value';
import type { ActualCall, ExpectedCall, FunctionDoc, Verdict } from './types';

const TYPE_MAP: Record<string, PyType> = {
  string: 'str',
  integer: 'int',
  float: 'float',
  number: 'float',
  boolean: 'bool',
  array: 'list',
  tuple: 'list',
  dict: 'dict',
  object: 'dict',
  any: 'str',
  // BFCL's Java and JavaScript type names.
  String: 'str',
  char: 'str',
  byte: 'int',
  short: 'int',
  long: 'int',
  Bigint: 'int',
  double: 'float',
  Boolean: 'bool',
  Array: 'list',
  ArrayList: 'list',
  Queue: 'list',
  Stack: 'list',
  HashMap: 'dict',
  Hashtable: 'dict',
};
const NESTED = new Set(['array', 'tuple', 'Array', 'ArrayList']);

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

const ok: Verdict = { valid: true, reasons: [] };
const fail = (reason: string): Verdict => ({ valid: false, reasons: [reason] });

/** The declared type name of a property schema (JSON Schema type arrays: the non-null member). */
export function declaredType(schema: unknown): string | undefined {
  if (!isDict(schema)) return undefined;
  const t = schema.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) {
    const named = t.filter((x) => typeof x === 'string' && x !== 'null');
    return named.length === 1 ? (named[0] as string) : undefined;
  }
  if (schema.enum && Array.isArray(schema.enum) && schema.enum.every((x) => typeof x === 'string')) return 'string';
  return undefined;
}

function allowsNull(schema: unknown): boolean {
  if (!isDict(schema)) return false;
  return (Array.isArray(schema.type) && schema.type.includes('null')) || (Array.isArray(schema.enum) && schema.enum.includes(null)) || schema.nullable === true;
}

/** `.` and `_` are one character for names: OpenAI-style function names cannot carry dots. */
export function sameFunctionName(expected: string, actual: string): boolean {
  return expected === actual || expected.replace(/\./g, '_') === actual;
}

/** BFCL's string standardisation: no spaces or `,./-_*^`, lowercase, single quotes as double quotes. */
export function standardizeString(s: string): string {
  return s.replace(/[ ,./\-_*^]/g, '').toLowerCase().replace(/'/g, '"');
}

const std = (v: unknown) => (typeof v === 'string' ? standardizeString(v) : v);

/** Python iterates a string answer character by character; BFCL's list checks inherit that. */
const items = (v: unknown): unknown[] => (Array.isArray(v) ? v : typeof v === 'string' ? [...v] : []);

/** Alternatives of a dict answer's key: a list, or a bare value read as the one alternative. */
const alternatives = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

function answerType(possible: unknown[]): PyType | undefined {
  const first = possible.find((a) => a !== '');
  return first === undefined ? undefined : pyType(first);
}

/** BFCL's type_checker: `{valid, variable}` (variable: the answer is written with another type). */
function typeCheck(value: unknown, possible: unknown[], expected: PyType, nested: PyType | undefined): { valid: boolean; variable: boolean } {
  const pType = answerType(possible);
  const variable = pType !== undefined && pType !== expected;
  if (pyType(value) === expected) {
    if (nested === undefined) return { valid: true, variable };
    for (const item of possible) {
      const fits = !Array.isArray(item) || (value as unknown[]).every((v) => typeCheck(v, item, nested, undefined).valid);
      if (fits) return { valid: true, variable };
    }
    return { valid: false, variable };
  }
  if (pType !== undefined && pyType(value) === pType) return { valid: true, variable: true };
  return { valid: false, variable };
}

function stringCheck(value: string, possible: unknown[]): boolean {
  const s = standardizeString(value);
  return possible.some((a) => typeof a === 'string' && standardizeString(a) === s);
}

function listCheck(value: unknown[], possible: unknown[]): boolean {
  const v = value.map(std);
  return possible.some((a) => pyEquals(v, items(a).map(std)));
}

function dictCheck(value: Record<string, unknown>, possible: unknown[]): boolean {
  for (const answer of possible) {
    if (answer === '' || !isDict(answer)) continue;
    const keysOk = Object.entries(value).every(([k, v]) => has(answer, k) && pyIn(std(v), alternatives(answer[k]).map(std)));
    // Python's `"" in alts`: true for any string (a substring test), membership for a list.
    const noneMissing = Object.entries(answer).every(([k, alts]) => has(value, k) || typeof alts === 'string' || alternatives(alts).includes(''));
    if (keysOk && noneMissing) return true;
  }
  return false;
}

function listDictCheck(value: unknown[], possible: unknown[]): boolean {
  return possible.some((answer) => {
    const dicts = items(answer);
    return dicts.length === value.length && value.every((v, i) => isDict(v) && dictCheck(v, [dicts[i]]));
  });
}

/** One call against one expected call (BFCL's simple_function_checker). */
export function checkCall(doc: FunctionDoc | undefined, actual: ActualCall, expected: ExpectedCall): Verdict {
  const [name, answer] = Object.entries(expected)[0] ?? ['', {}];
  if (!sameFunctionName(name, actual.name)) return fail('wrong_function');
  if (actual.arguments === undefined) return fail('unparsable_arguments');
  if (!isDict(actual.arguments)) return fail('arguments_not_object');
  const args = actual.arguments;
  const params = isDict(doc?.parameters) ? doc!.parameters : {};
  const properties = isDict(params.properties) ? params.properties : {};
  const required = Array.isArray(params.required) ? (params.required as string[]) : [];
  for (const p of required) if (!has(args, p)) return fail(`missing_param:${p}`);
  for (const [p, raw] of Object.entries(args)) {
    if (!has(properties, p) || !has(answer, p)) return fail(`unexpected_param:${p}`);
    const possible = answer[p];
    // Project extension: null for a nullable parameter is how strict-mode models leave it out.
    if (raw === null && allowsNull(properties[p])) {
      if (!possible.includes('') && !pyIn(null, possible)) return fail(`value_mismatch:${p}`);
      continue;
    }
    const typeName = declaredType(properties[p]);
    const expectedType = typeName === undefined ? undefined : TYPE_MAP[typeName];
    let value = raw;
    // Python's auto conversion: an int is a valid float.
    if (expectedType === 'float' && pyType(value) === 'int') value = new PyFloat(Number(value));
    if (expectedType !== undefined) {
      const items = isDict(properties[p]) ? (properties[p] as Record<string, unknown>).items : undefined;
      const nestedName = NESTED.has(typeName!) ? declaredType(items) : undefined;
      const nested = nestedName === undefined ? undefined : TYPE_MAP[nestedName];
      const t = typeCheck(value, possible, expectedType, nested);
      if (!t.valid) return fail(`type_mismatch:${p}`);
      if (!t.variable) {
        let good: boolean | undefined;
        if (expectedType === 'dict') good = dictCheck(value as Record<string, unknown>, possible);
        else if (expectedType === 'list' && nested === 'dict') good = listDictCheck(value as unknown[], possible);
        else if (expectedType === 'str') good = stringCheck(value as string, possible);
        else if (expectedType === 'list') good = listCheck(value as unknown[], possible);
        if (good !== undefined) {
          if (!good) return fail(`value_mismatch:${p}`);
          continue;
        }
      }
    } else {
      // Schemas without one declared type (anyOf, open values): compare by the value's own type.
      const own = pyType(value);
      const good =
        own === 'str' ? stringCheck(value as string, possible) : own === 'list' ? listCheck(value as unknown[], possible) : own === 'dict' && possible.some(isDict) ? dictCheck(value as Record<string, unknown>, possible) : undefined;
      if (good !== undefined) {
        if (!good) return fail(`value_mismatch:${p}`);
        continue;
      }
    }
    if (!pyIn(value, possible)) return fail(`value_mismatch:${p}`);
  }
  for (const [p, possible] of Object.entries(answer)) {
    if (!has(args, p) && !possible.includes('')) return fail(`missing_param:${p}`);
  }
  return ok;
}

function findDoc(docs: FunctionDoc[], name: string): FunctionDoc | undefined {
  return docs.find((d) => d.name === name);
}

/**
 * The calls of one assistant turn against the expected ones: no call expected (irrelevance), one
 * call (simple, multiple) or several matched in any order (parallel, parallel_multiple).
 */
export function checkTurn(docs: FunctionDoc[], actual: ActualCall[], expected: ExpectedCall[]): Verdict {
  if (expected.length === 0) return actual.length === 0 ? ok : fail('unexpected_call');
  if (actual.length === 0) return fail('no_call');
  if (actual.length !== expected.length) return fail(`wrong_call_count:${actual.length}/${expected.length}`);
  const matched = new Set<number>();
  for (const answer of expected) {
    const name = Object.keys(answer)[0];
    const doc = findDoc(docs, name);
    let best: Verdict | undefined;
    let found = -1;
    for (let i = 0; i < actual.length; i++) {
      if (matched.has(i)) continue;
      const v = checkCall(doc, actual[i], answer);
      if (v.valid) {
        found = i;
        break;
      }
      // Report the failure of a call to the right function over a mere name mismatch.
      if (!best || (best.reasons[0] === 'wrong_function' && v.reasons[0] !== 'wrong_function')) best = v;
    }
    if (found < 0) return best ?? fail('wrong_function');
    matched.add(found);
  }
  return ok;
}
