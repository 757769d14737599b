import { jsonErrorOffset, lineColumn } from './json-error';

describe('jsonErrorOffset', () => {
  it.each([
    ['{"a": [1, 2}', 11],
    ['{"a" 1}', 5],
    ['[1,]', 3],
    ['{"a": tru}', 6],
    ['"tab\there"', 4],
    ['{"a": "\\x"}', 8],
    ['[1] x', 4],
    ['{', 1],
    ['', 0],
    ['-01', 2],
  ])('%j fails at %d', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('agrees with JSON.parse on what is valid', () => {
    const texts = ['{}', '[]', '0', '-1.5e+3', '"\\u00e9\\n"', '{"a": [true, false, null, {"b": "c"}]}', ' \n[ 1 , 2 ]\n', '{"a":1,}', '[01]', '"\\u12"', 'nul', '{"a":1}}'];
    for (const text of texts) {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      expect([text, jsonErrorOffset(text) === -1]).toEqual([text, valid]);
    }
  });

  it('matches the position JSON.parse reports when it reports one', () => {
    for (const text of ['{"a": 1 "b": 2}', '[1 2]', '{"a": 1} x']) {
      const reported = /position (\d+)/.exec((() => { try { JSON.parse(text); return ''; } catch (e) { return (e as Error).message; } })());
      if (reported) expect(jsonErrorOffset(text)).toBe(Number(reported[1]));
    }
  });
});

describe('lineColumn', () => {
  it('is 1-based', () => {
    expect(lineColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
