// Files and Batch API through the openai SDK: upload, lifecycle, out-of-order output, errors, cancel.
import Ajv from 'ajv';
import OpenAI, { toFile } from 'openai';
import { startTestServer, type TestServer } from './server';

const schema = { type: 'object', properties: { a: { type: 'string' }, n: { type: 'integer', minimum: 1, maximum: 9 } }, required: ['a', 'n'], additionalProperties: false };

function line(customId: string, extra: Record<string, unknown> = {}, body: Record<string, unknown> = {}) {
  return JSON.stringify({
    custom_id: customId,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'gpt-5-mini', messages: [{ role: 'user', content: `request ${customId}` }], response_format: { type: 'json_schema', json_schema: { name: 'rec', strict: true, schema } }, ...body },
    ...extra,
  });
}

let server: TestServer;
let client: OpenAI;

beforeEach(async () => {
  server = await startTestServer({ batchStepMs: 0, batchLinesPerStep: 2 });
  client = new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries: 0 });
});
afterEach(() => server.close());

async function upload(lines: string[]) {
  return client.files.create({ file: await toFile(Buffer.from(`${lines.join('\n')}\n`), 'in.jsonl'), purpose: 'batch' });
}

async function createBatch(lines: string[]) {
  const file = await upload(lines);
  return client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { job: 'test' } });
}

async function jsonl(fileId: string): Promise<Record<string, any>[]> {
  const res = await client.files.content(fileId);
  return (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
}

describe('files', () => {
  it('uploads multipart, retrieves metadata and content, lists and deletes', async () => {
    const file = await upload([line('x')]);
    expect(file).toMatchObject({ object: 'file', purpose: 'batch', filename: 'in.jsonl', status: 'processed' });
    expect(file.id).toMatch(/^file-/);
    expect((await client.files.retrieve(file.id)).bytes).toBe(file.bytes);
    expect(await (await client.files.content(file.id)).text()).toBe(`${line('x')}\n`);
    const listed = [];
    for await (const f of client.files.list({ purpose: 'batch' })) listed.push(f.id);
    expect(listed).toEqual([file.id]);
    expect(await client.files.delete(file.id)).toEqual({ id: file.id, object: 'file', deleted: true });
    await expect(client.files.retrieve(file.id)).rejects.toThrow(`404 No such File object: ${file.id}`);
    expect(server.stats().files).toEqual({ uploaded: 1, bytes: file.bytes, deleted: 1 });
  });

  it('rejects a batch upload that is not .jsonl', async () => {
    await expect(client.files.create({ file: await toFile(Buffer.from('{}'), 'in.json'), purpose: 'batch' })).rejects.toThrow('Invalid file format for Batch API. Must be .jsonl');
  });
});

describe('batches', () => {
  it('runs validating -> in_progress (counts advancing) -> finalizing -> completed, output joined on custom_id', async () => {
    const ids = ['r1', 'r2', 'r3', 'r4', 'r5'];
    const batch = await createBatch(ids.map((id) => line(id)));
    expect(batch).toMatchObject({ object: 'batch', status: 'validating', endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { job: 'test' }, output_file_id: null });
    const seen: string[] = [];
    const completed: number[] = [];
    let b = batch;
    while (b.status !== 'completed') {
      server.stepBatches();
      b = await client.batches.retrieve(batch.id);
      seen.push(b.status);
      completed.push(b.request_counts!.completed);
    }
    expect(seen).toEqual(['in_progress', 'in_progress', 'in_progress', 'finalizing', 'completed']);
    expect(completed).toEqual([0, 2, 4, 5, 5]);
    expect(b.request_counts).toEqual({ total: 5, completed: 5, failed: 0 });
    expect(b.model).toBe('gpt-5-mini-2025-08-07');
    expect(b.in_progress_at).not.toBeNull();
    expect(b.completed_at).not.toBeNull();
    expect(b.error_file_id).toBeNull();
    expect(b.usage!.input_tokens).toBeGreaterThan(0);

    const out = await jsonl(b.output_file_id!);
    expect(out.map((r) => r.custom_id)).not.toEqual(ids);
    expect(out.map((r) => r.custom_id).sort()).toEqual(ids);
    const validate = new Ajv().compile(schema);
    for (const row of out) {
      expect(row.id).toMatch(/^batch_req_/);
      expect(row.error).toBeNull();
      expect(row.response.status_code).toBe(200);
      expect(row.response.request_id).toMatch(/^req_/);
      expect(row.response.body.object).toBe('chat.completion');
      expect(validate(JSON.parse(row.response.body.choices[0].message.content))).toBe(true);
    }
    expect(server.stats().batches).toMatchObject({ created: 1, completed: 1, requests: { total: 5, succeeded: 5, failed: 0 } });
  });

  it('advances on its own with a step timer', async () => {
    await server.close();
    server = await startTestServer({ batchStepMs: 5 });
    client = new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries: 0 });
    const batch = await createBatch([line('a'), line('b')]);
    let b = batch;
    for (let i = 0; i < 200 && b.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 5));
      b = await client.batches.retrieve(batch.id);
    }
    expect(b.status).toBe('completed');
  });

  it('puts an invalid body in the error file as an HTTP error line', async () => {
    const batch = await createBatch([line('good'), line('bad', {}, { temperature: 0.2 })]);
    server.stepBatches(3);
    const b = await client.batches.retrieve(batch.id);
    expect(b.status).toBe('completed');
    expect(b.request_counts).toEqual({ total: 2, completed: 1, failed: 1 });
    expect((await jsonl(b.output_file_id!)).map((r) => r.custom_id)).toEqual(['good']);
    const [bad] = await jsonl(b.error_file_id!);
    expect(bad).toMatchObject({ custom_id: 'bad', error: null, response: { status_code: 400, body: { error: { code: 'unsupported_value', param: 'temperature' } } } });
  });

  it('fails a share of lines with 500 per the serverError fault', async () => {
    server.setFaults({ serverError: 0.5, seed: 3 });
    const batch = await createBatch(['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8'].map((id) => line(id)));
    server.stepBatches(6);
    const b = await client.batches.retrieve(batch.id);
    expect(b.status).toBe('completed');
    const errors = await jsonl(b.error_file_id!);
    const out = await jsonl(b.output_file_id!);
    expect(out.length + errors.length).toBe(8);
    expect(errors.length).toBeGreaterThan(0);
    expect(b.request_counts).toEqual({ total: 8, completed: out.length, failed: errors.length });
    for (const e of errors) expect(e.response).toMatchObject({ status_code: 500, body: { error: { type: 'server_error' } } });
  });

  it('fails validation with errors.data {code, message, line}: duplicate ids, wrong url, mixed models, bad JSON', async () => {
    const batch = await createBatch([
      line('a'),
      line('a'),
      line('b', { url: '/v1/embeddings' }),
      line('c', {}, { model: 'gpt-5' }),
      '{not json',
      line('d', { method: 'GET' }),
    ]);
    server.stepBatches();
    const b = await client.batches.retrieve(batch.id);
    expect(b.status).toBe('failed');
    expect(b.failed_at).not.toBeNull();
    expect(b.errors!.data!.map((e) => [e.code, e.line])).toEqual([
      ['duplicate_custom_id', 2],
      ['invalid_url', 3],
      ['mismatched_model', 4],
      ['invalid_json_line', 5],
      ['invalid_method', 6],
    ]);
  });

  it('cancels: cancelling, then cancelled with the partial output', async () => {
    const batch = await createBatch(['a', 'b', 'c', 'd', 'e'].map((id) => line(id)));
    server.stepBatches(2); // validated, then two lines run
    const cancelling = await client.batches.cancel(batch.id);
    expect(cancelling.status).toBe('cancelling');
    expect(cancelling.cancelling_at).not.toBeNull();
    server.stepBatches();
    const b = await client.batches.retrieve(batch.id);
    expect(b.status).toBe('cancelled');
    expect(b.request_counts!.completed).toBe(2);
    expect((await jsonl(b.output_file_id!)).length).toBe(2);
    await expect(client.batches.cancel((await createBatch([line('z')])).id)).resolves.toMatchObject({ status: 'cancelling' });
  });

  it('expires unfinished lines with batch_expired error lines', async () => {
    await server.close();
    let now = 5_000_000;
    server = await startTestServer({ batchStepMs: 0, batchLinesPerStep: 1, now: () => now });
    client = new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries: 0 });
    const batch = await createBatch([line('a'), line('b'), line('c')]);
    server.stepBatches(2);
    now += 24 * 3600 * 1000;
    server.stepBatches();
    const b = await client.batches.retrieve(batch.id);
    expect(b.status).toBe('expired');
    const errors = await jsonl(b.error_file_id!);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatchObject({ response: null, error: { code: 'batch_expired' } });
  });

  it('lists newest first with cursor pagination, and keeps working for many batches', async () => {
    const file = await upload([line('a')]);
    const created: string[] = [];
    for (let i = 0; i < 30; i++) created.push((await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' })).id);
    server.stepBatches(4);
    const page = await client.batches.list({ limit: 7 });
    expect(page.data.map((b) => b.id)).toEqual(created.slice().reverse().slice(0, 7));
    const all: string[] = [];
    for await (const b of client.batches.list({ limit: 7 })) all.push(b.id);
    expect(all).toEqual(created.slice().reverse());
    expect((await client.batches.retrieve(created[29])).status).toBe('completed');
  });

  it('validates create parameters', async () => {
    const file = await upload([line('a')]);
    await expect(client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '1h' as '24h' })).rejects.toThrow("400 Invalid value: '1h'. Supported values are: '24h'.");
    await expect(client.batches.create({ input_file_id: 'file-nope', endpoint: '/v1/chat/completions', completion_window: '24h' })).rejects.toThrow('404 No such File object: file-nope');
    await expect(client.batches.retrieve('batch_nope')).rejects.toThrow('404 No such Batch object: batch_nope');
  });
});
