// The request cache seen from the provider: a second identical run makes zero HTTP requests, and a
// change to one tool's schema costs requests only for the samples of that tool. Counts come from the
// test server's stats. The API key is not part of any key: a different key still hits the cache.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ToolDef } from '../../types';
import type { OpenAIProvider } from './provider';
import { chatRequests, context, harness, weatherTools, type Harness } from './spec-helpers';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.done());

/** A standard sample per tool: request, call, simulated result, final answer (4 requests each). */
async function stage(p: OpenAIProvider, tools: ToolDef[]): Promise<string[]> {
  const out: string[] = [];
  for (const [i, t] of tools.entries()) {
    const ctx = context([t], 'standard', 100 + i, tools);
    const user = await p.userRequest(ctx);
    const calls = await p.toolCalls(ctx, [{ role: 'user', content: user }]);
    const result = await p.simulateResult(ctx, t, calls[0], false);
    const answer = await p.reply(ctx, [{ role: 'user', content: user }, { role: 'assistant', content: null, tool_calls: calls }, { role: 'tool', tool_call_id: calls[0].id, name: t.name, content: result }], 'final');
    out.push(JSON.stringify([user, calls, result, answer]));
  }
  return out;
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? allFiles(join(dir, f)) : [join(dir, f)]));
}

it('rebuild with nothing changed: zero requests; one schema changed: requests only for that tool', async () => {
  const tools = weatherTools();
  const first = await stage(h.provider({ env: { OPENAI_API_KEY: 'sk-first-key-123456' } }), tools);
  const afterFirst = chatRequests(h.server);
  expect(afterFirst).toBe(tools.length * 4);

  const again = h.provider({ env: { OPENAI_API_KEY: 'sk-other-key-654321' } });
  expect(await stage(again, tools)).toEqual(first);
  expect(chatRequests(h.server)).toBe(afterFirst);
  expect(again.usage()).toMatchObject({ requests: 0, cacheHits: tools.length * 4 });

  const changed = tools.map((t) =>
    t.name === 'get_forecast' ? { ...t, inputSchema: { ...(t.inputSchema as object), description: 'Forecast arguments (v2)' } } : t,
  );
  const third = await stage(h.provider(), changed);
  expect(chatRequests(h.server) - afterFirst).toBe(4);
  const i = tools.findIndex((t) => t.name === 'get_forecast');
  third.forEach((row, j) => (j === i ? undefined : expect(row).toBe(first[j])));

  // No key of any kind reaches the cache directory.
  for (const f of allFiles(h.cacheDir)) expect(readFileSync(f, 'latin1')).not.toMatch(/sk-(first|other|test)/);
});
