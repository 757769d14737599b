// The refuseParallel and violateMaxLength behaviours: unit rules, and through the openai SDK.
import OpenAI from 'openai';
import { applyBehaviours, lengthLimits } from './behaviours';
import { startTestServer, type TestServer } from './server';

const call = (name: string, args: Record<string, unknown>, i = 0) => ({ id: `call_${i}`, type: 'function' as const, function: { name, arguments: JSON.stringify(args) } });
const NOTE = { type: 'object', properties: { title: { type: 'string', description: 'Title (maxLength: 12)' }, n: { type: 'integer' } }, required: ['title', 'n'], additionalProperties: false };

describe('applyBehaviours', () => {
  const tools = [{ name: 'add_note', parameters: NOTE, strict: true }, { name: 'list_notes', parameters: { type: 'object', properties: {} }, strict: false }];

  it('reads length limits from maxLength and from strict-mode description notes', () => {
    expect([...lengthLimits(NOTE)]).toEqual([['title', 12]]);
    expect([...lengthLimits({ properties: { a: { type: 'string', maxLength: 3 }, b: { type: ['string', 'null'], maxLength: 5 } } })]).toEqual([['a', 3], ['b', 5]]);
  });

  it('keeps only the first of several calls in about the configured share of requests', () => {
    const counts = { refusedParallel: 0, violatedMaxLength: 0 };
    let single = 0;
    for (let seed = 0; seed < 400; seed++) {
      const out = applyBehaviours([call('add_note', { title: 'a', n: 1 }), call('list_notes', {}, 1)], tools, { seed: 1, refuseParallel: 0.5, violateMaxLength: 0 }, seed, counts);
      if (out.length === 1) single++;
    }
    expect(single).toBe(counts.refusedParallel);
    expect(single / 400).toBeGreaterThan(0.4);
    expect(single / 400).toBeLessThan(0.6);
    expect(applyBehaviours([call('list_notes', {})], tools, { seed: 1, refuseParallel: 1, violateMaxLength: 0 }, 5)).toHaveLength(1);
  });

  it('makes a string argument longer than its limit in about the configured share of calls', () => {
    let over = 0;
    for (let seed = 0; seed < 400; seed++) {
      const [out] = applyBehaviours([call('add_note', { title: 'Groceries', n: 2 })], tools, { seed: 2, refuseParallel: 0, violateMaxLength: 0.3 }, seed);
      const args = JSON.parse(out.function.arguments);
      expect(args.n).toBe(2);
      if (args.title.length > 12) over++;
    }
    expect(over / 400).toBeGreaterThan(0.22);
    expect(over / 400).toBeLessThan(0.38);
  });
});

describe('behaviours through the SDK', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ faults: { violateMaxLength: 1, refuseParallel: 1 } });
  });
  afterAll(() => server.close());

  it('returns a call whose argument breaks the maxLength note, and counts it', async () => {
    const client = new OpenAI({ apiKey: 'x', baseURL: server.url, maxRetries: 0 });
    const res = await client.chat.completions.create({
      model: 'gpt-5-mini',
      messages: [{ role: 'user', content: 'Add a note titled "Groceries" with number 2.' }],
      tools: [{ type: 'function', function: { name: 'add_note', parameters: NOTE, strict: true } }],
      tool_choice: { type: 'function', function: { name: 'add_note' } },
    });
    const c = res.choices[0].message.tool_calls![0];
    if (c.type !== 'function') throw new Error('expected a function call');
    expect(JSON.parse(c.function.arguments).title.length).toBeGreaterThan(12);
    expect(server.stats().faults.violatedMaxLength).toBe(1);
  });
});

describe('what a competent model does with several requests and with a repair turn', () => {
  let server: TestServer;
  let client: OpenAI;
  const EMPLOYEE = { type: 'object', properties: { employee_id: { type: 'string', pattern: '^E\\d{4}$' }, reason: { type: 'string', maxLength: 20 } }, required: ['employee_id'], additionalProperties: false };
  const tools = [{ type: 'function' as const, function: { name: 'delete_employee', parameters: EMPLOYEE } }];
  const args = (m: OpenAI.Chat.Completions.ChatCompletionMessage) => (m.tool_calls ?? []).map((c) => (c.type === 'function' ? JSON.parse(c.function.arguments) : null));
  beforeAll(async () => {
    server = await startTestServer({});
    client = new OpenAI({ apiKey: 'x', baseURL: server.url, maxRetries: 0 });
  });
  afterAll(() => server.close());

  it('makes one call per request: a sentence that only gives a parameter ("employee id E0020") belongs to the request before it', async () => {
    const res = await client.chat.completions.create({
      model: 'gpt-5-mini',
      messages: [{ role: 'user', content: 'Could you remove employee? The details are employee id E0020. And at the same time, could you delete employee? The details are the employee id "E0023".' }],
      tools,
      tool_choice: 'required',
      parallel_tool_calls: true,
    });
    expect(args(res.choices[0].message)).toEqual([{ employee_id: 'E0020' }, { employee_id: 'E0023' }]);
  });

  it('answers a repair turn with every call of the turn again, the invalid value corrected and the valid ones kept', async () => {
    const long = 'left the company for good in spring';
    const res = await client.chat.completions.create({
      model: 'gpt-5-mini',
      messages: [
        { role: 'user', content: 'Delete employees E0020 and E0023.' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'delete_employee', arguments: JSON.stringify({ employee_id: 'E0020', reason: long }) } },
            { id: 'call_b', type: 'function', function: { name: 'delete_employee', arguments: JSON.stringify({ employee_id: 'E0023' }) } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_a', content: 'Error: the arguments of delete_employee do not validate against its schema: /reason must NOT have more than 20 characters. Call delete_employee again with corrected arguments (same intent, values that satisfy every constraint).' },
        { role: 'tool', tool_call_id: 'call_b', content: 'The arguments of delete_employee are valid; repeat this call unchanged.' },
      ],
      tools,
      tool_choice: 'required',
      parallel_tool_calls: true,
    });
    const [a, b] = args(res.choices[0].message);
    expect(args(res.choices[0].message)).toHaveLength(2);
    expect(a.employee_id).toBe('E0020');
    expect(a.reason.length).toBeLessThanOrEqual(20);
    expect(long.startsWith(a.reason)).toBe(true);
    expect(b).toEqual({ employee_id: 'E0023' });
  });
});
