// listTools against real servers: pagination, the SDK-rejected listing fallback, server-everything.
import { connectServer, type McpConnection } from './connect';
import { everything, fixture, weather } from './fixtures/servers';
import { listTools, normalizeTool } from './list-tools';

async function withServer<T>(cfg: Parameters<typeof connectServer>[0], fn: (conn: McpConnection) => Promise<T>): Promise<T> {
  const conn = await connectServer(cfg);
  try {
    return await fn(conn);
  } finally {
    await conn.close();
  }
}

describe('listTools', () => {
  it('follows nextCursor through every page', async () => {
    const { tools, warnings } = await withServer(fixture('paginated'), (conn) => listTools(conn));
    expect(tools.map((t) => t.name)).toEqual(['echo', 'crash', 'slow', 'media', 'structured', 'only_structured', 'fail']);
    expect(tools.find((t) => t.name === 'structured')?.outputSchema).toEqual({ type: 'object', properties: { n: { type: 'number' } }, required: ['n'] });
    expect(warnings).toEqual([]);
  });

  it('falls back to a raw tools/list when the SDK rejects the listing, keeping every tool', async () => {
    const { tools, warnings } = await withServer(fixture('invalid-schemas'), (conn) => listTools(conn));
    expect(tools.map((t) => t.name)).toEqual(['create_issue', 'legacy_dict', 'no_schema', 'echo']);
    expect(tools[0].inputSchema).toEqual({ $schema: 'http://json-schema.org/draft-07/schema#' });
    expect(tools[2].inputSchema).toEqual({ type: 'object', properties: {} });
    expect(tools[3].warnings).toBeUndefined();
    expect(warnings[0]).toMatch(/the MCP SDK rejected its tools\/list .*; listed again without validation/);
    expect(warnings.slice(1)).toEqual([
      expect.stringMatching(/^tool "create_issue": inputSchema has no "type": "object"/),
      'tool "legacy_dict": inputSchema root type is "dict", not "object"; kept as given',
      'tool "legacy_dict": inputSchema /properties/data has type "dict" (not a JSON Schema type)',
      'tool "no_schema": lists no inputSchema; treated as taking no parameters',
    ]);
    expect(tools[1].warnings).toHaveLength(2);
  });

  it('lists the weather server with titles, annotations and output schemas', async () => {
    const { tools } = await withServer(weather(), (conn) => listTools(conn));
    const current = tools.find((t) => t.name === 'get_current_weather')!;
    expect(current.title).toBe('Current weather');
    expect(current.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    expect(current.outputSchema).toMatchObject({ type: 'object' });
    expect(tools.find((t) => t.name === 'list_alerts')?.inputSchema).toEqual({ type: 'object', properties: {} });
  });

  it('lists the real npm server-everything', async () => {
    const { tools, warnings } = await withServer(everything(), (conn) => listTools(conn));
    expect(tools.length).toBeGreaterThanOrEqual(10);
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'get-sum']));
    for (const t of tools) expect(t.inputSchema).toMatchObject({ type: 'object' });
    expect(warnings).toEqual([]);
  });
});

describe('normalizeTool', () => {
  it('skips a tool without a name and keeps optional fields only when well-formed', () => {
    const warnings: string[] = [];
    expect(normalizeTool({ description: 'x' }, 4, warnings)).toBeUndefined();
    expect(warnings[0]).toMatch(/^tool #5 in tools\/list has no name/);
    const t = normalizeTool({ name: 'a', inputSchema: { type: 'object' }, outputSchema: 'nope', description: 3, annotations: { readOnlyHint: true } }, 0, warnings);
    expect(t).toEqual({
      name: 'a',
      inputSchema: { type: 'object' },
      annotations: { readOnlyHint: true },
      warnings: ['description is not a string; ignored', 'outputSchema is not an object; ignored'],
    });
  });
});
