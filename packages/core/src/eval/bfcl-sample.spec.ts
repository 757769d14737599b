// The checker over the 222 BFCL v3 sample entries: each entry's first acceptable answer must pass,
// and outputs perturbed in known ways get the verdict BFCL's rules give them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTurn } from './checker';
import { PyFloat, isDict, parsePyJson, pyIn, pyType } from './py-value';
import type { ActualCall, ExpectedCall, FunctionDoc } from './types';

interface Entry {
  id: string;
  category: string;
  function: FunctionDoc[];
  possible_answer?: ExpectedCall[];
}

const entries = parsePyJson(readFileSync(join(__dirname, '__fixtures__', 'bfcl_v3_samples.json'), 'utf8')) as Entry[];
const answered = entries.filter((e) => e.category !== 'irrelevance');
const irrelevance = entries.filter((e) => e.category === 'irrelevance');

/** A dict answer's first alternatives (omitting keys whose first alternative is ""). */
function firstDict(answer: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, alts] of Object.entries(answer)) {
    const first = Array.isArray(alts) ? alts[0] : alts;
    if (first !== '') out[k] = first;
  }
  return out;
}

/**
 * The first acceptable value of a parameter; undefined means "omit it". BFCL's rules decide what is
 * acceptable: a required parameter cannot be omitted even when its answer lists "" (simple_200), and
 * a parameter outside the function's schema is never accepted (parallel_multiple_26 lists `type`).
 */
function firstValue(alts: unknown[], required: boolean, inSchema: boolean): unknown {
  if (!inSchema) return undefined;
  const first = required ? alts.find((a) => a !== '') : alts[0];
  if (first === '') return undefined;
  if (isDict(first)) return firstDict(first);
  if (Array.isArray(first) && first.length > 0 && first.every(isDict)) return first.map((d) => firstDict(d as Record<string, unknown>));
  return first;
}

function firstAnswer(e: Entry): ActualCall[] {
  return e.possible_answer!.map((call) => {
    const [name, params] = Object.entries(call)[0];
    const doc = docOf(e, name);
    const props = doc.parameters.properties as Record<string, unknown>;
    const args: Record<string, unknown> = {};
    for (const [p, alts] of Object.entries(params)) {
      const v = firstValue(alts, required(doc).includes(p), p in props);
      if (v !== undefined) args[p] = v;
    }
    return { name, arguments: args };
  });
}

const docOf = (e: Entry, name: string) => e.function.find((f) => f.name === name)!;
const required = (doc: FunctionDoc) => (doc.parameters.required as string[] | undefined) ?? [];

/** A value of the same type that is none of the acceptable ones (undefined when there is none). */
function wrongValue(value: unknown, alts: unknown[]): unknown {
  switch (pyType(value)) {
    case 'str':
      return `${value as string} other`;
    case 'bool':
      return pyIn(!value, alts) ? undefined : !value;
    case 'int': {
      let n = (value as number) + 1;
      while (pyIn(n, alts)) n++;
      return n;
    }
    case 'float': {
      const n = (value instanceof PyFloat ? value.value : (value as number)) + 1000.25;
      return n;
    }
    case 'list': {
      const list = value as unknown[];
      return list.length > 0 && !isDict(list[0]) ? [...list, list[0]] : undefined;
    }
    default:
      return undefined;
  }
}

describe('BFCL v3 sample: first acceptable answers', () => {
  it('has the 222 entries of the fixture', () => {
    expect(entries).toHaveLength(222);
    expect(irrelevance).toHaveLength(15);
  });

  it.each(answered.map((e) => [e.id, e] as const))('%s: the first acceptable answer is correct', (_id, e) => {
    expect(checkTurn(e.function, firstAnswer(e), e.possible_answer!)).toEqual({ valid: true, reasons: [] });
  });

  it.each(irrelevance.map((e) => [e.id, e] as const))('%s: no call is correct, any call is not', (_id, e) => {
    expect(checkTurn(e.function, [], [])).toEqual({ valid: true, reasons: [] });
    const doc = e.function[0];
    const args = Object.fromEntries(required(doc).map((p) => [p, 'x']));
    expect(checkTurn(e.function, [{ name: doc.name, arguments: args }], [])).toEqual({ valid: false, reasons: ['unexpected_call'] });
  });
});

describe('BFCL v3 sample: perturbed outputs', () => {
  const counts = { wrongFunction: 0, missing: 0, value: 0, extra: 0, swapped: 0, dropped: 0 };
  afterAll(() => {
    // Every kind of perturbation was exercised on a good share of the sample.
    expect(counts.wrongFunction).toBe(answered.length);
    expect(counts.extra).toBe(answered.length);
    expect(counts.missing).toBeGreaterThan(180);
    expect(counts.value).toBeGreaterThan(180);
    expect(counts.swapped).toBe(45);
    expect(counts.dropped).toBe(45);
  });

  it.each(answered.map((e) => [e.id, e] as const))('%s', (_id, e) => {
    const expected = e.possible_answer!;
    const good = firstAnswer(e);
    const single = expected.length === 1;

    // Wrong function: a name that is none of the offered ones.
    const renamed = good.map((c, i) => (i === 0 ? { ...c, name: `${c.name}_v2` } : c));
    const wf = checkTurn(e.function, renamed, expected);
    expect(wf.valid).toBe(false);
    if (single) expect(wf.reasons).toEqual(['wrong_function']);
    counts.wrongFunction++;

    // A missing required parameter.
    const first = good[0].arguments as Record<string, unknown>;
    const req = required(docOf(e, good[0].name)).find((p) => p in first);
    if (req) {
      const { [req]: _dropped, ...rest } = first;
      const v = checkTurn(e.function, [{ ...good[0], arguments: rest }, ...good.slice(1)], expected);
      expect(v.valid).toBe(false);
      if (single) expect(v.reasons).toEqual([`missing_param:${req}`]);
      counts.missing++;
    }

    // A wrong value of the right type.
    const alts = Object.values(expected[0])[0];
    const target = Object.keys(first).find((p) => wrongValue(first[p], alts[p]) !== undefined);
    if (target) {
      const bad = { ...first, [target]: wrongValue(first[target], alts[target]) };
      const v = checkTurn(e.function, [{ ...good[0], arguments: bad }, ...good.slice(1)], expected);
      expect(v.valid).toBe(false);
      if (single) expect(v.reasons).toEqual([`value_mismatch:${target}`]);
      counts.value++;
    }

    // An extra parameter the function does not have.
    const extra = checkTurn(e.function, [{ ...good[0], arguments: { ...first, zz_extra: 1 } }, ...good.slice(1)], expected);
    expect(extra.valid).toBe(false);
    if (single) expect(extra.reasons).toEqual(['unexpected_param:zz_extra']);
    counts.extra++;

    if (!single) {
      // Parallel calls in another order are still correct; one call fewer is not.
      expect(checkTurn(e.function, [...good].reverse(), expected)).toEqual({ valid: true, reasons: [] });
      counts.swapped++;
      expect(checkTurn(e.function, good.slice(1), expected)).toEqual({ valid: false, reasons: [`wrong_call_count:${good.length - 1}/${good.length}`] });
      counts.dropped++;
    }
  });
});
