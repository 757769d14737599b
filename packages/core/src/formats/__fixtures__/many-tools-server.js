#!/usr/bin/env node
// Fixture: an MCP server with 26 read-only tools (a project tracker), each with one documented
// parameter each; `export_*` tools answer with long texts. For the
// token-budget test (output.maxTokens).
const { Server } = require('@modelcontextprotocol/sdk/server/index.js');
const { StdioServerTransport } = require('@modelcontextprotocol/sdk/server/stdio.js');
const { ListToolsRequestSchema, CallToolRequestSchema } = require('@modelcontextprotocol/sdk/types.js');

const ENTITIES = ['issue', 'project', 'milestone', 'label', 'comment', 'member', 'team', 'sprint', 'epic', 'board', 'workflow', 'webhook', 'release'];
const param = (type, description, extra = {}) => ({ type, description, ...extra });
const TOOLS = [];
for (const e of ENTITIES) {
  TOOLS.push({
    name: `list_${e}s`,
    description: `List ${e}s.`,
    inputSchema: { type: 'object', properties: { query: param('string', 'Title text.') } },
    annotations: { readOnlyHint: true, openWorldHint: false },
  });
  TOOLS.push({
    name: `export_${e}`,
    description: `Export one ${e} as Markdown.`,
    inputSchema: { type: 'object', properties: { id: param('string', 'Id.') }, required: ['id'] },
    annotations: { readOnlyHint: true, openWorldHint: false },
  });
}

const server = new Server({ name: 'tracker', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
server.setRequestHandler(CallToolRequestSchema, async (req) => {
  const name = req.params.name;
  const args = req.params.arguments ?? {};
  if (name.startsWith('list_')) {
    const items = [1, 2, 3].map((i) => ({ id: `X-${i}`, title: `${args.query ?? 'Item'} ${i}`, state: args.state ?? 'open', owner: args.owner ?? 'sam' }));
    return { content: [{ type: 'text', text: JSON.stringify({ items, next_cursor: null }) }] };
  }
  if (name.startsWith('export_')) {
    const lines = [];
    for (let i = 1; i <= 120; i++) lines.push(`- change ${i}: field "status" moved from step ${i - 1} to step ${i} by member ${i % 7} after review of item ${args.id}`);
    return { content: [{ type: 'text', text: `# ${args.id}\n\n## History\n${lines.join('\n')}` }] };
  }
  return { content: [{ type: 'text', text: `Unknown tool ${name}` }], isError: true };
});
server.connect(new StdioServerTransport());
process.stdin.on('end', () => process.exit(0));
