import { batchInputs, readBatchLines, retryableLine, BATCH_ENDPOINT } from './batch-jsonl';

const req = (i: number) => ({ key: `k${i}`, body: { model: 'gpt-5', messages: [{ role: 'user' as const, content: `hello ${i}` }] } });

it('writes one request per line with custom_id = request key, split at the line and size limits', () => {
  const [one] = batchInputs([req(1), req(2)]);
  const lines = one.jsonl.trim().split('\n').map((l) => JSON.parse(l));
  expect(lines[0]).toEqual({ custom_id: 'k1', method: 'POST', url: BATCH_ENDPOINT, body: req(1).body });
  expect(one.keys).toEqual(['k1', 'k2']);
  expect(batchInputs(Array.from({ length: 7 }, (_, i) => req(i)), 3).map((b) => b.keys.length)).toEqual([3, 3, 1]);
  const lineBytes = Buffer.byteLength(one.jsonl.split('\n')[0]) + 1;
  expect(batchInputs([req(1), req(2), req(3)], 50_000, lineBytes * 2).map((b) => b.keys.length)).toEqual([2, 1]);
});

it('puts each model in its own input file (the Batch API takes one model per file)', () => {
  const mini = (i: number) => ({ key: `m${i}`, body: { ...req(i).body, model: 'gpt-5-mini' } });
  const files = batchInputs([mini(1), req(2), mini(3), req(4)]);
  expect(files.map((f) => f.keys)).toEqual([['m1', 'm3'], ['k2', 'k4']]);
  for (const f of files) expect(new Set(f.jsonl.trim().split('\n').map((l) => JSON.parse(l).body.model)).size).toBe(1);
});

it('joins output and error lines on custom_id, whatever their order and shape', () => {
  const out = readBatchLines(
    [
      JSON.stringify({ id: 'b1', custom_id: 'k2', response: { status_code: 200, body: { id: 'c2', choices: [] } }, error: null }),
      JSON.stringify({ id: 'b2', custom_id: 'k1', response: { status_code: 200, body: { id: 'c1', choices: [] } }, error: null }),
      'garbage',
      JSON.stringify({ id: 'b3', custom_id: 'k3', response: { status_code: 400, body: { error: { message: 'Invalid schema', code: 'invalid_json_schema' } } }, error: null }),
      JSON.stringify({ id: 'b4', custom_id: 'k4', response: null, error: { code: 'batch_expired', message: 'not run in time' } }),
      JSON.stringify({ id: 'b5', custom_id: 'k5', response: { status_code: 500, body: { error: { message: 'oops' } } }, error: null }),
    ].join('\n'),
  );
  expect(out.get('k1')).toMatchObject({ ok: true, completion: { id: 'c1' } });
  expect(out.get('k2')).toMatchObject({ ok: true, completion: { id: 'c2' } });
  const bad = out.get('k3')!;
  expect(bad).toEqual({ ok: false, status: 400, code: 'invalid_json_schema', message: 'Invalid schema' });
  expect(!bad.ok && retryableLine(bad)).toBe(false);
  const expired = out.get('k4')!;
  expect(!expired.ok && retryableLine(expired)).toBe(true);
  const failed = out.get('k5')!;
  expect(!failed.ok && retryableLine(failed)).toBe(true);
});

it('a re-sent request gets its own custom_id (key~N) and its result is joined back on the key', () => {
  const [input] = batchInputs([{ ...req(1), resend: 2 }]);
  expect(JSON.parse(input.jsonl.trim()).custom_id).toBe('k1~2');
  expect(input.keys).toEqual(['k1']);
  const out = readBatchLines(JSON.stringify({ id: 'b1', custom_id: 'k1~2', response: { status_code: 200, body: { id: 'c1', choices: [] } }, error: null }));
  expect([...out.keys()]).toEqual(['k1']);
});
