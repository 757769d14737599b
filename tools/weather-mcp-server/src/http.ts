// Streamable HTTP mode (`--http <port>`), for transport tests and remote use. Stateless: every POST
// gets a fresh server + transport (the SDK's recommended stateless pattern), while the alert store
// is shared so alerts persist across requests. Listens on 127.0.0.1 only.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { AlertStore } from './alerts';
import { createWeatherServer } from './server';

export const MCP_PATH = '/mcp';

function jsonRpcError(res: import('node:http').ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

/** Starts the HTTP server; resolves with it and its URL once it listens. Port 0 picks a free port. */
export async function startHttpServer(port: number, alerts = new AlertStore()): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== MCP_PATH) return jsonRpcError(res, 404, `Not found: the MCP endpoint is ${MCP_PATH}`);
    if (req.method !== 'POST') return jsonRpcError(res, 405, 'Method not allowed: this server is stateless, use POST');
    const mcp = createWeatherServer({ alerts });
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void mcp.close();
    });
    mcp
      .connect(transport)
      .then(() => transport.handleRequest(req, res))
      .catch((err: unknown) => {
        process.stderr.write(`weather-mcp-server: ${(err as Error).message}\n`);
        if (!res.headersSent) jsonRpcError(res, 500, 'Internal server error');
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${actual}${MCP_PATH}` };
}
