// qc's fast paths at 100k rows: the second pass copies a row as read with only its top-level `reasons`
// replaced when that is safe, and the semantic checks find numbers with one reused global regular
// expression (its lastIndex reset per text) that must find what matchAll finds.
import { withReasons } from './qc';
import { NUMBER, numbersIn } from './semantic';
import { createRng } from '../util/rng';

const row = { id: 'a', messages: [{ role: 'user', content: 'say ,"reasons":["x"] please' }], meta: { judge: { score: 4, reasons: ['nested'] } }, reasons: [] as string[] };

it('replaces the top-level reasons of a row as JSON.stringify wrote it, byte for byte as a rebuilt row', () => {
  const line = JSON.stringify(row);
  const out = withReasons(line, ['near_duplicate: of b', 'quote " and \\ backslash']);
  expect(out).toBe(JSON.stringify({ ...row, reasons: ['near_duplicate: of b', 'quote " and \\ backslash'] }));
  expect(withReasons(JSON.stringify({ ...row, reasons: ['old one'] }), [])).toBe(line);
});

it('leaves any other shape to the full rebuild (undefined)', () => {
  // reasons not last, absent, nested only, not strings, or pretty-printed
  expect(withReasons(JSON.stringify({ reasons: [], id: 'a' }), ['r'])).toBeUndefined();
  expect(withReasons(JSON.stringify({ id: 'a' }), ['r'])).toBeUndefined();
  expect(withReasons(JSON.stringify({ id: 'a', meta: { reasons: [] } }), ['r'])).toBeUndefined();
  expect(withReasons(JSON.stringify({ id: 'a', x: { y: 1, reasons: ['n'] } }), ['r'])).toBeUndefined();
  expect(withReasons(JSON.stringify({ id: 'a', reasons: [1] }), ['r'])).toBeUndefined();
  expect(withReasons(JSON.stringify({ id: 'a', reasons: [] }, null, 1), ['r'])).toBeUndefined();
});

it('numbersIn finds exactly what matchAll of the NUMBER regular expression finds', () => {
  const viaRegex = (t: string) => [...t.matchAll(NUMBER)].map((m) => Number(m[0]));
  const fixed = ['12a 3 -4 a-5 1.5x 1.25.3 --7 x.9 _8 8_ 0.5 -0.25. 10,000 (42) v2 2e3 -', '{"temp":-3.5,"wind":12,"city":"A1"}', ''];
  for (const t of fixed) expect(numbersIn(t)).toEqual(viaRegex(t));
  const rng = createRng(7);
  const alphabet = '0123456789.-_aZ ,:"{}x';
  for (let k = 0; k < 3000; k++) {
    let t = '';
    const len = rng.int(0, 24);
    for (let c = 0; c < len; c++) t += alphabet[rng.int(0, alphabet.length - 1)];
    expect([t, numbersIn(t)]).toEqual([t, viaRegex(t)]);
  }
});
