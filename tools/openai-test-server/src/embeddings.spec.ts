// Embeddings through the SDK, including its default base64 encoding.
import OpenAI from 'openai';
import { startTestServer, type TestServer } from './server';

let server: TestServer;
let client: OpenAI;
beforeAll(async () => {
  server = await startTestServer();
  client = new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries: 0 });
});
afterAll(() => server.close());

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('embeddings', () => {
  it('returns unit vectors of the requested size, the same through base64 (SDK default) and float', async () => {
    const input = ['the weather in Paris today', 'the weather in Paris tomorrow', 'invoice for order 42'];
    const b64 = await client.embeddings.create({ model: 'text-embedding-3-small', input, dimensions: 256 });
    const float = await client.embeddings.create({ model: 'text-embedding-3-small', input, dimensions: 256, encoding_format: 'float' });
    expect(b64.data).toHaveLength(3);
    expect(b64.data[0].embedding).toHaveLength(256);
    b64.data.forEach((d, i) => d.embedding.forEach((x, j) => expect(x).toBeCloseTo(float.data[i].embedding[j], 5)));
    const [a, b, c] = float.data.map((d) => d.embedding);
    expect(cosine(a, a)).toBeCloseTo(1, 6);
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c) + 0.3);
    expect(float.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('rejects chat models, empty input and dimensions on ada-002', async () => {
    await expect(client.embeddings.create({ model: 'gpt-5', input: 'x' })).rejects.toThrow(/does not support embeddings/);
    await expect(client.embeddings.create({ model: 'text-embedding-3-large', input: '' })).rejects.toThrow(/'\$\.input' is invalid/);
    await expect(client.embeddings.create({ model: 'text-embedding-ada-002', input: 'x', dimensions: 8 })).rejects.toThrow('This model does not support specifying dimensions.');
  });
});
