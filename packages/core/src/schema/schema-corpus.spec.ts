// Every fixture schema (the recorded npm MCP servers and the hand-written real-world shapes) through
// the whole schema toolchain: normalize, strictify (checked against the strict rules), samplers
// (valid for 50 seeds, typical and edge, deterministic) and the strict round trip.
import { createRng, seedFrom } from '../util/rng';
import { allInputFixtures, outputFixtures, relaxOriginal, toStrictArguments } from './fixtures/schema-test-helpers';
import { normalizeSchema } from './normalize';
import { sampleValue } from './sample';
import { checkStrictRules, strictify } from './strictify';
import { unstrictify } from './unstrictify';
import { validateAgainst } from './validator';

const SEEDS = 50;
const fixtures = allInputFixtures();

function expectValid(schema: Parameters<typeof validateAgainst>[0], value: unknown, what: string): void {
  const result = validateAgainst(schema, value);
  if (!result.valid) throw new Error(`${what}: ${JSON.stringify(value)} is invalid: ${result.errors.join('; ')}`);
}

describe('schema corpus', () => {
  it('has real and hand-written fixtures', () => {
    expect(fixtures.filter((f) => f.name.includes('/')).length).toBeGreaterThanOrEqual(30);
    expect(fixtures.length).toBeGreaterThan(55);
  });

  describe.each(fixtures.map((f) => [f.name, f] as const))('%s', (name, fixture) => {
    const normalized = normalizeSchema(fixture.schema, name);
    const original = normalized.schema;
    const strict = strictify(original);

    it('compiles after normalizing', () => {
      expect(validateAgainst(original, {}).errors.join()).not.toMatch(/cannot be compiled/);
    });

    it(`strictify decides strict=${fixture.strict} and a strict result obeys the rules`, () => {
      expect({ strict: strict.strict, reasons: strict.reasons }).toEqual(
        fixture.strict ? { strict: true, reasons: [] } : { strict: false, reasons: expect.arrayContaining([expect.any(String)]) },
      );
      if (strict.strict) expect(checkStrictRules(strict.schema)).toEqual([]);
    });

    it('leaves its inputs alone, and a strict schema is already in strict form', () => {
      const before = JSON.stringify(fixture.schema);
      const again = normalizeSchema(fixture.schema, name);
      expect(strictify(again.schema)).toEqual(strict);
      expect(JSON.stringify(fixture.schema)).toBe(before);
      if (strict.strict) expect(strictify(strict.schema)).toEqual(strict);
    });

    it('samples valid, deterministic values for 50 seeds (typical and edge)', () => {
      for (let seed = 0; seed < SEEDS; seed++) {
        for (const mode of ['typical', 'edge'] as const) {
          const value = sampleValue(original, { rng: createRng(seedFrom(name, seed)), mode });
          expectValid(original, value, `${mode} seed ${seed}`);
          const again = sampleValue(original, { rng: createRng(seedFrom(name, seed)), mode });
          expect(again).toEqual(value);
        }
      }
    });

    if (fixture.strict) {
      it('strict samples turn back into valid original arguments', () => {
        const relaxed = relaxOriginal(original);
        for (let seed = 0; seed < SEEDS; seed++) {
          const strictArgs = sampleValue(strict.schema, { rng: createRng(seedFrom('strict', name, seed)) });
          expectValid(strict.schema, strictArgs, `strict seed ${seed}`);
          expectValid(relaxed, unstrictify(strictArgs, original), `unstrictified seed ${seed}`);
        }
      });

      it('original arguments survive the strict form and back', () => {
        for (let seed = 0; seed < SEEDS; seed++) {
          const args = sampleValue(original, { rng: createRng(seedFrom('roundtrip', name, seed)) });
          const strictArgs = toStrictArguments(args, strict.schema);
          expectValid(strict.schema, strictArgs, `strict form of seed ${seed}`);
          const back = unstrictify(strictArgs, original);
          expectValid(original, back, `round trip of seed ${seed}`);
        }
      });
    }
  });

  describe.each(outputFixtures().map((f) => [f.name, f] as const))('%s', (name, fixture) => {
    it('samples valid output values', () => {
      for (let seed = 0; seed < 20; seed++) {
        expectValid(fixture.schema, sampleValue(fixture.schema, { rng: createRng(seedFrom(name, seed)) }), `seed ${seed}`);
      }
    });
  });
});
