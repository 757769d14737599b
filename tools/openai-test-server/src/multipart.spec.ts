import { boundaryOf, parseMultipart } from './multipart';

it('parses fields and files, including CRLF inside file data', () => {
  const b = 'XyZ';
  const body = Buffer.from(
    `--${b}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n` +
      `--${b}\r\nContent-Disposition: form-data; name="file"; filename="in.jsonl"\r\nContent-Type: application/jsonl\r\n\r\n{"a":1}\r\n{"b":2}\r\n\r\n` +
      `--${b}--\r\n`,
  );
  expect(boundaryOf('multipart/form-data; boundary=XyZ')).toBe('XyZ');
  const parts = parseMultipart(body, b);
  expect(parts.map((p) => [p.name, p.filename, p.data.toString()])).toEqual([
    ['purpose', undefined, 'batch'],
    ['file', 'in.jsonl', '{"a":1}\r\n{"b":2}\r\n'],
  ]);
  expect(() => parseMultipart(Buffer.from('nothing here'), b)).toThrow('does not contain its boundary');
});
