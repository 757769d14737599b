// callTool against real servers: results, isError, JSON-RPC errors, media blocks, timeouts, crashes.
import { ForgeError } from '../errors';
import { callTool, toToolResult } from './call-tool';
import { connectServer, type McpConnection } from './connect';
import { everything, fixture, weather } from './fixtures/servers';

describe('callTool on the weather server', () => {
  let conn: McpConnection;
  beforeAll(async () => {
    conn = await connectServer(weather());
  });
  afterAll(() => conn.close());

  it('returns text and structuredContent', async () => {
    const r = await callTool(conn, 'get_current_weather', { city: 'Tokyo' }, 5000);
    expect(r.isError).toBe(false);
    expect(r.text).toMatch(/^Current weather in Tokyo, Japan: 17°C/);
    expect(r.structuredContent).toMatchObject({ city: 'Tokyo', temperature: 17, units: 'celsius' });
    expect(r.raw).toMatchObject({ content: [{ type: 'text' }] });
  });

  it('returns an unknown city as an isError result, not a throw', async () => {
    const r = await callTool(conn, 'get_current_weather', { city: 'Atlantis' }, 5000);
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/Unknown city: "Atlantis"/);
    expect(r.structuredContent).toBeUndefined();
  });

  it('returns invalid arguments as the isError result the server sends', async () => {
    const r = await callTool(conn, 'get_forecast', { city: 'Tokyo', days: 30 }, 5000);
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/Input validation error/);
  });
});

describe('callTool on fixtures', () => {
  let conn: McpConnection;
  beforeEach(async () => {
    conn = await connectServer(fixture('paginated'));
  });
  afterEach(() => conn.close());

  it('summarises image, audio and resource blocks', async () => {
    const r = await callTool(conn, 'media', {}, 5000);
    expect(r.text).toBe(
      ['Here you go', '[image image/png, 1234 bytes]', '[audio audio/wav, 10 bytes]', '[resource file:///notes.txt, text/plain]', 'note body', '[resource link file:///big.csv (big.csv)]'].join('\n'),
    );
  });

  it('gives structuredContent as JSON text when there is no text block', async () => {
    const r = await callTool(conn, 'only_structured', {}, 5000);
    expect(r).toMatchObject({ text: '{"ok":true}', isError: false, structuredContent: { ok: true } });
  });

  it('returns isError results', async () => {
    expect(await callTool(conn, 'fail', {}, 5000)).toMatchObject({ isError: true, text: 'Something went wrong' });
  });

  it('throws MCP_CALL with a clear message on timeout', async () => {
    const err = await callTool(conn, 'slow', { ms: 3000 }, 300).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForgeError);
    expect((err as ForgeError).code).toBe('MCP_CALL');
    expect((err as ForgeError).message).toMatch(/Tool "slow" on MCP server .* did not answer within 300 ms \(timed out\)/);
  });

  it('throws MCP_CALL with the stderr tail when the server dies', async () => {
    const err = await callTool(conn, 'crash', {}, 5000).catch((e: unknown) => e);
    expect((err as ForgeError).code).toBe('MCP_CALL');
    expect((err as ForgeError).message).toMatch(/is not running: the connection closed while calling tool "crash"/);
    expect((err as ForgeError).message).toContain('paginated: crashing on purpose');
    const again = await callTool(conn, 'echo', { text: 'hi' }, 5000).catch((e: unknown) => e);
    expect((again as ForgeError).code).toBe('MCP_CALL');
  });
});

describe('callTool JSON-RPC errors and real servers', () => {
  it('returns an old server\'s JSON-RPC "Unknown tool" error as an isError result', async () => {
    const conn = await connectServer(fixture('invalid-schemas'));
    try {
      const r = await callTool(conn, 'create_issue', {}, 5000);
      expect(r).toMatchObject({ isError: true, text: 'MCP error -32603: Unknown tool: create_issue', raw: { error: { code: -32603, message: 'Unknown tool: create_issue' } } });
      expect(await callTool(conn, 'echo', { text: 'still alive' }, 5000)).toMatchObject({ isError: false, text: 'still alive' });
    } finally {
      await conn.close();
    }
  });

  it('calls tools of the npm server-everything', async () => {
    const conn = await connectServer(everything());
    try {
      expect((await callTool(conn, 'echo', { message: 'hello' }, 5000)).text).toBe('Echo: hello');
      const sum = await callTool(conn, 'get-sum', { a: 2, b: 3 }, 5000);
      expect(sum.isError).toBe(false);
      expect(sum.text).toContain('5');
    } finally {
      await conn.close();
    }
  });
});

describe('toToolResult', () => {
  it('reads the 2024-10-07 toolResult shape and unknown blocks', () => {
    expect(toToolResult({ toolResult: { a: 1 } }).text).toBe('{"a":1}');
    expect(toToolResult({ content: [{ type: 'hologram' }] }).text).toBe('[hologram block]');
    expect(toToolResult({ content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }], structuredContent: { x: 1 } })).toMatchObject({
      text: 'a\nb',
      structuredContent: { x: 1 },
    });
  });
});
