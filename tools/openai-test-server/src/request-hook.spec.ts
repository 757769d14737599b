// onRequest sees every counted /v1 request with its status and raw body (control routes are not seen).
import OpenAI from 'openai';
import { startTestServer, type RecordedRequest } from './server';

it('reports each request with its endpoint, status and body', async () => {
  const seen: RecordedRequest[] = [];
  const server = await startTestServer({ onRequest: (r) => seen.push(r) });
  try {
    const client = new OpenAI({ apiKey: 'test', baseURL: server.url, maxRetries: 0 });
    await client.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: 'hello there' }] });
    await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }).catch(() => undefined);
    await fetch(`${server.url.replace(/\/v1$/, '')}/_stats`);
    expect(seen.map((r) => [r.endpoint, r.status])).toEqual([
      ['POST /v1/chat/completions', 200],
      ['POST /v1/chat/completions', 404],
    ]);
    expect(JSON.parse(seen[0].body.toString('utf8')).messages[0].content).toBe('hello there');
    expect(seen[0].path).toBe('/v1/chat/completions');
  } finally {
    await server.close();
  }
});
