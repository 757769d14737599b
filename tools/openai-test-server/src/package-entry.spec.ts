// Other projects import the server by its workspace package name.
import { startTestServer } from 'openai-test-server';

it('is importable as the workspace package openai-test-server', async () => {
  const server = await startTestServer();
  const res = await fetch(`${server.url}/models`, { headers: { authorization: 'Bearer test' } });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { data: { id: string }[] }).data.map((m) => m.id)).toContain('gpt-5-mini');
  await server.close();
});
