// Small node:http helpers: bounded body reading and writing JSON / raw / event-stream replies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, invalidJsonBody } from './errors';
import type { Reply } from './server-state';

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        reject(new ApiError(413, `Request body is larger than this server's limit of ${maxBytes} bytes.`, 'invalid_request_error'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function parseJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    throw invalidJsonBody();
  }
}

export function errorReply(err: ApiError, model?: string): Reply {
  return { status: err.status, body: err.body(), headers: err.headers, model };
}

export function writeReply(res: ServerResponse, reply: Reply, baseHeaders: Record<string, string>): void {
  const headers: Record<string, string> = { ...baseHeaders, ...reply.headers };
  if (reply.events) {
    res.writeHead(reply.status, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    for (const e of reply.events) res.write(`data: ${e}\n\n`);
    res.end();
    return;
  }
  if (reply.raw) {
    res.writeHead(reply.status, { ...headers, 'content-type': reply.contentType ?? 'application/octet-stream', 'content-length': String(reply.raw.length) });
    res.end(reply.raw);
    return;
  }
  const text = JSON.stringify(reply.body ?? {});
  res.writeHead(reply.status, { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}
