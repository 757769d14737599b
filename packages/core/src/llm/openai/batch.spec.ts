// Batch mode end to end over the test server's Files and Batches endpoints: one batch per round of
// requests, results joined on custom_id and cached, the batch id persisted before waiting, and a
// killed build resumed by polling the same batch (no second batch).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Message, ToolDef } from '../../types';
import type { PlanContext } from '../provider';
import { callErrors } from '../../stages/conversation';
import { validateAgainst } from '../../schema/validator';
import { chatRequests, context, harness, tool, type Harness } from './spec-helpers';
import { batchStatePath } from './batch/batch-state';
import { batchRoomDir } from './batch/batch-room';
import { join } from 'node:path';

const BATCH = '  batch: true\n';

async function until(cond: () => boolean, what: string, step?: () => void): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (cond()) return;
    step?.();
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** `n` standard conversations (request, call, simulated result, answer) at once, tools in turn. */
function standardConversations(p: ReturnType<Harness['provider']>, tools: ToolDef[], n: number, seed: number) {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const t = tools[i % tools.length];
      const ctx = context([t], 'standard', seed + i, tools);
      const messages: Message[] = [{ role: 'user', content: await p.userRequest(ctx) }];
      const calls = await p.toolCalls(ctx, messages);
      messages.push({ role: 'assistant', content: null, tool_calls: calls });
      messages.push({ role: 'tool', tool_call_id: calls[0].id, name: t.name, content: await p.simulateResult(ctx, t, calls[0], false) });
      messages.push({ role: 'assistant', content: await p.reply(ctx, messages, 'final') });
      return { t, calls, messages };
    }),
  );
}

/** A batch build asking `contexts`, killed once its batch id is persisted: the state file and how its requests ended. */
async function killedAfterBatch(h: Harness, contexts: PlanContext[]): Promise<{ statePath: string; settled: PromiseSettledResult<string>[] }> {
  const first = h.provider({ yaml: BATCH });
  const killed = Promise.allSettled(contexts.map((c) => first.userRequest(c)));
  const statePath = batchStatePath(h.cacheDir, 'weather', 'generate');
  await until(() => existsSync(statePath) && JSON.parse(readFileSync(statePath, 'utf8')).batches[0]?.id !== undefined, 'the persisted batch id');
  await first.close();
  return { statePath, settled: await killed };
}

describe('batch mode', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness({ batchStepMs: 0 });
  });
  afterEach(() => h.done());

  it('resumes a killed build by polling the same batch: no second batch, no synchronous request', async () => {
    const t = tool('get_forecast');
    const contexts = [1, 2, 3].map((s) => context([t], 'standard', s));
    const first = h.provider({ yaml: BATCH });
    expect(first.maxParallelSamples).toBeGreaterThanOrEqual(100_000);
    const killed = Promise.allSettled(contexts.map((c) => first.userRequest(c)));
    await until(() => h.server.stats().batches.created === 1, 'the batch');
    const statePath = batchStatePath(h.cacheDir, 'weather', 'generate');
    await until(() => existsSync(statePath) && JSON.parse(readFileSync(statePath, 'utf8')).batches[0]?.id !== undefined, 'the persisted batch id');
    h.server.stepBatches(1);
    await first.close(); // the build is killed mid-poll
    expect((await killed).every((r) => r.status === 'rejected')).toBe(true);
    const persisted = JSON.parse(readFileSync(statePath, 'utf8')).batches;
    expect(persisted).toHaveLength(1);
    expect(persisted[0].customIds).toHaveLength(3);

    const second = h.provider({ yaml: BATCH });
    const done = Promise.all(contexts.map((c) => second.userRequest(c)));
    let finished = false;
    void done.then(() => (finished = true));
    await until(() => finished, 'the resumed batch', () => h.server.stepBatches(1));
    const texts = await done;
    expect(texts.every((x) => x.length > 0)).toBe(true);
    const stats = h.server.stats();
    expect(stats.batches.created).toBe(1);
    expect(stats.files.uploaded).toBe(1);
    expect(chatRequests(h.server)).toBe(0);
    expect(JSON.parse(readFileSync(statePath, 'utf8')).batches).toEqual([]);
    expect(second.usage()).toMatchObject({ requests: 3 });

    // Everything is cached now: a third run makes no request of any kind.
    const before = h.server.stats().requests.total;
    const third = h.provider({ yaml: BATCH });
    expect(await Promise.all(contexts.map((c) => third.userRequest(c)))).toEqual(texts);
    expect(h.server.stats().requests.total).toBe(before);
  });

  it('finds the batch by its input file when the build was killed between upload and create', async () => {
    const t = tool('get_current_weather');
    const contexts = [4, 5].map((s) => context([t], 'standard', s));
    const { statePath } = await killedAfterBatch(h, contexts);
    // As if the kill had come before the batch id was written.
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    delete state.batches[0].id;
    writeFileSync(statePath, JSON.stringify(state));

    const second = h.provider({ yaml: BATCH });
    const done = Promise.all(contexts.map((c) => second.userRequest(c)));
    let finished = false;
    void done.then(() => (finished = true));
    await until(() => finished, 'the resumed batch', () => h.server.stepBatches(1));
    expect(h.server.stats().batches.created).toBe(1);
    expect(chatRequests(h.server)).toBe(0);
  });

  it('a build killed after a shared round was cut for it, before it took its jobs, takes them when run again: no second batch', async () => {
    const t = tool('get_forecast');
    const contexts = [11, 12, 13].map((s) => context([t], 'standard', s));
    const { statePath } = await killedAfterBatch(h, contexts.slice(0, 2));
    // As if the kill had come between the cut (the assignment written) and the build taking it.
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    const [entry] = state.batches;
    writeFileSync(join(batchRoomDir(h.cacheDir, h.server.url), 'assign', 'weather-generate.json'), JSON.stringify({ entries: [entry], requests: 2, batches: 1, members: 1 }));
    writeFileSync(statePath, JSON.stringify({ ...state, batches: [] }));

    const second = h.provider({ yaml: BATCH });
    const done = Promise.all(contexts.map((c) => second.userRequest(c)));
    let finished = false;
    done.then(() => (finished = true)).catch(() => undefined); // a failure shows as the wait below timing out
    await until(() => finished, 'the adopted batch and the new one', () => h.server.stepBatches(1));
    expect((await done).every((x) => x.length > 0)).toBe(true);
    // The first batch is polled again, only the third request goes into a new one.
    expect(h.server.stats().batches.created).toBe(2);
    expect(h.server.stats().batches.requests.total).toBe(3);
    expect(chatRequests(h.server)).toBe(0);
    expect(existsSync(join(batchRoomDir(h.cacheDir, h.server.url), 'assign', 'weather-generate.json'))).toBe(false);
  });
});

describe('batch mode with a running batch worker', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness({ batchStepMs: 5 });
  });
  afterEach(() => h.done());

  it('runs whole conversations in rounds: one batch per round, the same number for 4 and 12 conversations', async () => {
    const p = h.provider({ yaml: BATCH });
    const tools = [tool('get_forecast'), tool('get_current_weather'), tool('search_cities'), tool('set_weather_alert')];
    const conversations = (n: number, seed: number) => standardConversations(p, tools, n, seed);
    const counts: { batches: number; requests: number }[] = [];
    for (const [n, seed] of [
      [4, 50],
      [12, 150],
    ]) {
      const before = h.server.stats().batches;
      const results = await conversations(n, seed);
      for (const { t, calls } of results) expect(validateAgainst(t.inputSchema, calls[0].arguments).errors).toEqual([]);
      const after = h.server.stats().batches;
      counts.push({ batches: after.created - before.created, requests: after.requests.total - before.requests.total });
    }
    // user requests, calls, results, answers: 4 rounds whatever the number of conversations
    expect(counts).toEqual([
      { batches: 4, requests: 16 },
      { batches: 4, requests: 48 },
    ]);
    expect(chatRequests(h.server)).toBe(0);
    expect(p.usage().requests).toBe(64);
    expect(p.batchRounds()?.rounds.map((r) => r.requests)).toEqual([4, 4, 4, 4, 12, 12, 12, 12]);
  });

  it('shares each round with another build on the same endpoint and cache dir: one job per round for both', async () => {
    const tools = [tool('get_forecast'), tool('get_current_weather'), tool('search_cities')];
    const builds = ['weather', 'travel'].map((dataset) => h.provider({ yaml: BATCH, dataset }));
    const [a, b] = await Promise.all([standardConversations(builds[0], tools, 5, 300), standardConversations(builds[1], tools, 5, 400)]);
    for (const { t, calls, messages } of [...a, ...b]) {
      expect(validateAgainst(t.inputSchema, calls[0].arguments).errors).toEqual([]);
      expect(String(messages[3].content).length).toBeGreaterThan(0);
    }
    // 4 steps: 4 rounds, each one job holding both builds' requests (not 4 jobs each).
    expect(h.server.stats().batches.created).toBe(4);
    expect(h.server.stats().batches.requests.total).toBe(40);
    expect(chatRequests(h.server)).toBe(0);
    for (const p of builds) {
      expect(p.batchRounds()!.rounds.map((r) => [r.requests, r.batches, r.shared])).toEqual(Array(4).fill([5, 1, { builds: 2, batches: 1 }]));
      expect(p.usage().requests).toBe(20);
    }
  });

  it('folds failed batch lines into the next round (no synchronous request) and loses nothing', async () => {
    h.server.setFaults({ serverError: 0.5, seed: 11 });
    const p = h.provider({ yaml: BATCH, stage: 'failing-lines' });
    const t = tool('get_forecast');
    const texts = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((s) => p.userRequest(context([t], 'standard', 700 + s))));
    expect(texts.every((x) => x.length > 0)).toBe(true);
    const stats = h.server.stats();
    expect(stats.batches.requests.failed).toBeGreaterThan(0);
    expect(chatRequests(h.server)).toBe(0);
    // Each round re-sends only the lines that failed in the one before.
    const rounds = p.batchRounds()!.rounds;
    expect(rounds.length).toBe(stats.batches.created);
    expect(rounds[0]).toMatchObject({ requests: 8, resent: 0 });
    expect(rounds.slice(1).every((r) => r.resent === r.requests && r.requests > 0)).toBe(true);
    expect(rounds.reduce((a, r) => a + r.requests, 0)).toBe(stats.batches.requests.total);
    expect(p.usage()).toMatchObject({ requests: 8 });
  });

  it('folds repair requests into the next round: a call that fails its schema is asked again beside the others\' next step', async () => {
    // A string with a maxLength the test server breaks for a share of calls (violateMaxLength).
    const note: ToolDef = { name: 'add_note', description: 'Add a note with a short title.', inputSchema: { type: 'object', properties: { title: { type: 'string', maxLength: 12, description: 'Short title' } }, required: ['title'], additionalProperties: false }, serverToolName: 'add_note', server: 'notes' } as unknown as ToolDef;
    h.server.setFaults({ violateMaxLength: 0.5, seed: 5 });
    const p = h.provider({ yaml: BATCH });
    const byName = new Map([[note.name, note]]);
    let repairs = 0;
    const n = 8;
    await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const ctx = context([note], 'standard', 900 + i, [note]);
        const messages: Message[] = [{ role: 'user', content: await p.userRequest(ctx) }];
        let calls = await p.toolCalls(ctx, messages);
        const errors = callErrors(calls, byName);
        if (errors.some((e) => e.length)) {
          repairs++;
          calls = await p.repairCalls(ctx, messages, calls, errors);
        }
        messages.push({ role: 'assistant', content: null, tool_calls: calls });
        messages.push({ role: 'tool', tool_call_id: calls[0].id, name: note.name, content: await p.simulateResult(ctx, note, calls[0], false) });
        messages.push({ role: 'assistant', content: await p.reply(ctx, messages, 'final') });
      }),
    );
    expect(repairs).toBeGreaterThan(0);
    expect(repairs).toBeLessThan(n);
    const rounds = p.batchRounds()!.rounds.map((r) => r.requests);
    // user requests, calls, then repairs beside the others' results, results of the repaired beside
    // the others' answers, the repaired ones' answers: one round more than without a repair, not one per repair.
    expect(rounds).toEqual([n, n, n, n, repairs]);
    expect(h.server.stats().batches.created).toBe(5);
    expect(chatRequests(h.server)).toBe(0);
    expect(p.usage().requests).toBe(4 * n + repairs);
  });
});
