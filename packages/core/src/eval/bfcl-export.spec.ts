// The BFCL export read back as BFCL reads it: JSON Lines, ids carrying the category, `dict` roots,
// and answers that the checker accepts for the row's own calls and rejects for a wrong one.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_SAMPLES, TOOLS } from '../formats/__fixtures__/samples';
import { exportBfcl } from './bfcl-export';
import { checkTurn } from './checker';
import { parsePyJson } from './py-value';
import { truthRow } from './truth';
import type { ExpectedCall, FunctionDoc } from './types';

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').map((l) => parsePyJson(l) as Record<string, unknown>);

describe('exportBfcl', () => {
  const dir = mkdtempSync(join(tmpdir(), 'forge-bfcl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const rows = ALL_SAMPLES.map((s) => truthRow(s, TOOLS));
  const result = exportBfcl(rows, dir);

  it('writes one file per category, JSON Lines without a final newline, ids prefixed by the category', () => {
    // Every fixture row offers several functions: a turn with no call is irrelevance, one call multiple, more parallel_multiple.
    const expected: Record<string, number> = {};
    for (const t of rows.flatMap((r) => r.turns)) {
      const category = t.calls.length === 0 ? 'irrelevance' : t.calls.length === 1 ? 'multiple' : 'parallel_multiple';
      expected[category] = (expected[category] ?? 0) + 1;
    }
    expect(result.counts).toEqual(expected);
    expect(Object.keys(expected).sort()).toEqual(['irrelevance', 'multiple', 'parallel_multiple']);
    expect(readdirSync(join(dir, 'possible_answer')).sort()).toEqual(['BFCL_v3_multiple.json', 'BFCL_v3_parallel_multiple.json']);
    for (const [category, n] of Object.entries(result.counts)) {
      const text = readFileSync(join(dir, `BFCL_v3_${category}.json`), 'utf8');
      expect(text.endsWith('\n')).toBe(false);
      expect(lines(join(dir, `BFCL_v3_${category}.json`)).map((q) => q.id)).toEqual(Array.from({ length: n }, (_, i) => `${category}_${i}`));
    }
    const ids = JSON.parse(readFileSync(join(dir, 'ids.json'), 'utf8'));
    expect(ids.multiple_0).toEqual({ row: 's-standard', turn: 1, scenario: 'standard' });
  });

  it('writes BFCL function docs and answers that the checker reads back', () => {
    const questions = lines(join(dir, 'BFCL_v3_parallel_multiple.json'));
    const answers = lines(join(dir, 'possible_answer', 'BFCL_v3_parallel_multiple.json'));
    const fns = questions[0].function as FunctionDoc[];
    expect(fns.every((f) => f.parameters.type === 'dict')).toBe(true);
    const plot = fns.find((f) => f.name === 'plot_series')!;
    expect((plot.parameters.properties as Record<string, { items: { items: { type: string } } }>).points.items.items.type).toBe('float');
    const truth = answers[0].ground_truth as ExpectedCall[];
    const good = [
      { name: 'plot_series', arguments: { points: [[1.0, 2.0], [3.0, 4.5]], labels: ['a', ['b', 'c']], style: { color: '</tool_call>' } } },
      { name: 'get_forecast', arguments: { city: 'oslo' } },
    ];
    expect(checkTurn(fns, good, truth)).toEqual({ valid: true, reasons: [] });
    expect(checkTurn(fns, [good[0], { name: 'get_forecast', arguments: { city: 'Bergen' } }], truth).valid).toBe(false);
  });
});
