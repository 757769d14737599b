// Strict conversion over the whole schema corpus (the tools of the npm reference MCP servers and
// hand-written real-world shapes: anyOf/oneOf, $ref/$defs, type arrays, const, formats, open maps,
// non-object roots, optional nested objects), end to end through the provider and the OpenAI-compatible
// test server: every converted schema is accepted (the server rejects strict schemas that break the
// rules, with OpenAI's 400), and every call the server returns validates against the ORIGINAL schema —
// except for keywords strict mode cannot express (contains, minLength, ...): strictify moves those into
// the description, where a real model reads them but this test server does not; such calls must still
// validate against the original without those keywords, and QC rejects them if they break them.
import { allInputFixtures, relaxOriginal } from '../../schema/fixtures/schema-test-helpers';
import { normalizeSchema } from '../../schema/normalize';
import { strictify } from '../../schema/strictify';
import { validateAgainst } from '../../schema/validator';
import type { ToolDef } from '../../types';
import { context, harness, type Harness } from './spec-helpers';

const fixtures = allInputFixtures();
let h: Harness;
beforeAll(async () => (h = await harness()));
afterAll(() => h.done());

function toolFor(name: string, schema: unknown, i: number): ToolDef {
  return { name: `corpus_tool_${i}`, serverToolName: name, server: 0, description: `Fixture ${name}`, inputSchema: normalizeSchema(schema, name).schema };
}

it(`converts all ${fixtures.length} corpus schemas, which the server accepts, and the calls validate against the originals`, async () => {
  const p = h.provider();
  let strict = 0;
  const failures: string[] = [];
  const relaxedOnly: string[] = [];
  for (const [i, f] of fixtures.entries()) {
    const tool = toolFor(f.name, f.schema, i);
    if (strictify(tool.inputSchema).strict) strict++;
    const ctx = context([tool], 'standard', 11 + i, [tool]);
    try {
      const calls = await p.toolCalls(ctx, [{ role: 'user', content: `Please run it with ${JSON.stringify(ctx.argHints[0])}.` }]);
      if (calls.length !== 1) failures.push(`${f.name}: ${calls.length} calls`);
      for (const c of calls) {
        const v = validateAgainst(tool.inputSchema, c.arguments);
        if (v.valid) continue;
        const relaxed = validateAgainst(relaxOriginal(tool.inputSchema), c.arguments);
        if (relaxed.valid) relaxedOnly.push(`${f.name}: ${v.errors.join('; ')}`);
        else failures.push(`${f.name}: ${relaxed.errors.join('; ')}`);
      }
    } catch (err) {
      failures.push(`${f.name}: ${(err as Error).message}`);
    }
  }
  expect(failures).toEqual([]);
  // Only constraints strict mode cannot carry may be missed, and only rarely.
  expect(relaxedOnly.length).toBeLessThanOrEqual(2);
  // Most real schemas can be made strict; the rest went non-strict and were still accepted.
  expect(strict).toBeGreaterThan(fixtures.length / 2);
  expect(h.server.stats().requests.byStatus['400'] ?? 0).toBe(0);
}, 120_000);
