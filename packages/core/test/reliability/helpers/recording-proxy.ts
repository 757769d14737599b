// An HTTP proxy in front of the OpenAI-compatible test server that records every request (method,
// path, body, status), so a test can tell WHICH requests a build repeated, not only how many.
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  path: string;
  body: string;
  status?: number;
}

export interface RecordingProxy {
  /** Base URL to give the client, e.g. http://127.0.0.1:PORT/v1 */
  url: string;
  requests: Recorded[];
  /** Chat completion request bodies recorded since index `from`. */
  chatBodies(from?: number): unknown[];
  close(): Promise<void>;
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: Recorded[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readAll(req);
    const entry: Recorded = { method: req.method ?? 'GET', path: req.url ?? '/', body: body.toString('utf8') };
    requests.push(entry);
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (up) => {
        entry.status = up.statusCode;
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    // A client killed mid-request closes its socket: drop the upstream request quietly.
    out.on('error', () => res.destroy());
    res.on('close', () => out.destroy());
    out.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = upstream.pathname.replace(/\/+$/, '');
  return {
    url: `http://127.0.0.1:${port}${base}`,
    requests,
    chatBodies: (from = 0) => requests.slice(from).filter((r) => r.method === 'POST' && r.path.endsWith('/chat/completions')).map((r) => JSON.parse(r.body)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
