// Files API: multipart upload, list, retrieve, content, delete.
import { invalidRequest, missingParameter, noSuchObject } from './errors';
import { FILE_PURPOSES } from './files';
import { boundaryOf, parseMultipart } from './multipart';
import type { Route, RouteContext } from './routes';
import type { Reply } from './server-state';

async function upload(ctx: RouteContext): Promise<Reply> {
  const boundary = boundaryOf(ctx.req.headers['content-type']);
  if (!/^multipart\/form-data/i.test(ctx.req.headers['content-type'] ?? '') || !boundary) {
    throw invalidRequest('Uploads must be sent as multipart/form-data with a `file` part and a `purpose` field.', 'file');
  }
  let parts;
  try {
    parts = parseMultipart(await ctx.body(), boundary);
  } catch (err) {
    throw invalidRequest(`Could not parse the multipart body: ${(err as Error).message}.`, 'file');
  }
  const field = (name: string) => parts.find((p) => p.name === name);
  const purpose = field('purpose')?.data.toString('utf8');
  const file = field('file');
  if (!purpose) throw missingParameter('purpose');
  if (!file) throw missingParameter('file');
  if (!FILE_PURPOSES.includes(purpose)) {
    throw invalidRequest(`Invalid value: '${purpose}'. Supported values are: ${FILE_PURPOSES.map((p) => `'${p}'`).join(', ')}.`, 'purpose', 'invalid_value');
  }
  const filename = file.filename ?? 'upload';
  if (purpose === 'batch' && !filename.endsWith('.jsonl')) throw invalidRequest('Invalid file format for Batch API. Must be .jsonl');
  const seconds = field('expires_after[seconds]')?.data.toString('utf8');
  if (seconds !== undefined && !(Number(seconds) >= 3600 && Number(seconds) <= 2_592_000)) {
    throw invalidRequest(`Invalid 'expires_after.seconds': expected an integer between 3600 and 2592000, got ${seconds}.`, 'expires_after.seconds', 'invalid_value');
  }
  const meta = ctx.state.files.add(filename, purpose, file.data, seconds === undefined ? undefined : Number(seconds));
  const s = ctx.state.stats.data.files;
  s.uploaded++;
  s.bytes += file.data.length;
  return { status: 200, body: meta };
}

function list(ctx: RouteContext): Reply {
  const q = ctx.url.searchParams;
  const limit = Math.min(Math.max(Number(q.get('limit') ?? 10000) || 10000, 1), 10000);
  const order = q.get('order') === 'asc' ? 'asc' : 'desc';
  const { data, hasMore } = ctx.state.files.list({ purpose: q.get('purpose') ?? undefined, after: q.get('after') ?? undefined, limit, order });
  return { status: 200, body: { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: hasMore } };
}

function fileOrThrow(ctx: RouteContext) {
  const f = ctx.state.files.get(ctx.params[0]);
  if (!f) throw noSuchObject('File', ctx.params[0]);
  return f;
}

export const fileRoutes: Route[] = [
  { method: 'POST', pattern: /^\/v1\/files$/, endpoint: 'POST /v1/files', handle: upload },
  { method: 'GET', pattern: /^\/v1\/files$/, endpoint: 'GET /v1/files', handle: list },
  { method: 'GET', pattern: /^\/v1\/files\/([^/]+)$/, endpoint: 'GET /v1/files/{id}', handle: (ctx) => ({ status: 200, body: fileOrThrow(ctx).meta }) },
  {
    method: 'GET',
    pattern: /^\/v1\/files\/([^/]+)\/content$/,
    endpoint: 'GET /v1/files/{id}/content',
    handle: (ctx) => ({ status: 200, raw: fileOrThrow(ctx).data, contentType: 'application/octet-stream' }),
  },
  {
    method: 'DELETE',
    pattern: /^\/v1\/files\/([^/]+)$/,
    endpoint: 'DELETE /v1/files/{id}',
    handle: (ctx) => {
      const { meta } = fileOrThrow(ctx);
      ctx.state.files.delete(meta.id);
      ctx.state.stats.data.files.deleted++;
      return { status: 200, body: { id: meta.id, object: 'file', deleted: true } };
    },
  },
];
