// The route table shape shared by every group of endpoints.
import type { IncomingMessage } from 'node:http';
import type { Reply, ServerState } from './server-state';

export interface RouteContext {
  state: ServerState;
  req: IncomingMessage;
  url: URL;
  /** Captured path segments (ids). */
  params: string[];
  requestId: string;
  body(): Promise<Buffer>;
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  /** Stats key, e.g. `GET /v1/files/{id}`. */
  endpoint: string;
  handle(ctx: RouteContext): Promise<Reply> | Reply;
}
