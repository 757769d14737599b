import { ALL_SAMPLES, callsByTurn, TOOLS } from './__fixtures__/samples';
import { detectFormat, FORMAT_NAMES, FORMATS, formatFilePaths, parseRow } from './index';

describe('FORMATS', () => {
  it.each(FORMAT_NAMES.map((f) => [f]))('%s renders rows that are detected as %s and parse back to the same calls', (format) => {
    for (const sample of ALL_SAMPLES) {
      const row = JSON.parse(JSON.stringify(FORMATS[format].render(sample, TOOLS)));
      // hf and openai rows without calls or results are the same JSON (and parse the same): openai.
      const calls = sample.messages.some((m) => m.tool_calls?.length || m.role === 'tool');
      const detected = format === 'hf' && !calls ? 'openai' : format;
      expect([sample.id, detectFormat(row)]).toEqual([sample.id, detected]);
      const back = parseRow(row);
      expect(back.format).toBe(detected);
      expect(callsByTurn(back.messages)).toEqual(callsByTurn(sample.messages));
    }
  });

  it('lays split files out per format, relative to the output dir', () => {
    expect(formatFilePaths('hermes')).toEqual({ train: 'hermes/train.jsonl', eval: 'hermes/eval.jsonl' });
    expect(formatFilePaths('sharegpt').eval).toBe('sharegpt/eval.jsonl');
  });
});

describe('detectFormat', () => {
  it('recognises external rows and refuses unknown shapes', () => {
    expect(detectFormat({ conversations: [{ from: 'system', value: '<tools>[]</tools>' }, { from: 'human', value: 'x' }] })).toBe('hermes');
    expect(detectFormat({ conversations: [{ from: 'human', value: 'x' }, { from: 'gpt', value: 'y' }], tools: '[]' })).toBe('sharegpt');
    expect(detectFormat({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: '<tool_call>\n{}\n</tool_call>' }] })).toBe('hermes');
    expect(detectFormat({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'y' }] })).toBe('openai');
    const call = (args: unknown) => ({ messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: '', tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: args } }] }], tools: [] });
    expect(detectFormat(call('{"q": 1}'))).toBe('openai');
    expect(detectFormat(call({ q: 1 }))).toBe('hf');
    expect(detectFormat({ messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'a', name: 'f', content: 'r' }], tools: [] })).toBe('hf');
    expect(detectFormat({ text: 'hello' })).toBeNull();
    expect(detectFormat([1, 2])).toBeNull();
    expect(parseRow({ prompt: 'x' })).toMatchObject({ format: null, problems: [expect.stringContaining('none of the known formats')] });
  });
});
