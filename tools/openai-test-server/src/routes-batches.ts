// Batch API routes: create, retrieve, list (cursor `after` + `limit`), cancel.
import { insufficientQuota } from './errors';
import { decideFaults } from './faults';
import { parseJson } from './http';
import type { Route, RouteContext } from './routes';
import type { Reply } from './server-state';

async function create(ctx: RouteContext): Promise<Reply> {
  const { state } = ctx;
  const body = parseJson(await ctx.body());
  // An account out of credit cannot start batches either.
  if (decideFaults(state.faults, `batch-create:${state.stats.data.batches.created}`).insufficientQuota) {
    state.stats.data.faults.insufficientQuota++;
    throw insufficientQuota();
  }
  const params = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  return { status: 200, body: state.batches.create(params) };
}

function list(ctx: RouteContext): Reply {
  const q = ctx.url.searchParams;
  const limit = Math.min(Math.max(Number(q.get('limit') ?? 20) || 20, 1), 100);
  const { data, hasMore } = ctx.state.batches.list(q.get('after') ?? undefined, limit);
  return { status: 200, body: { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null, has_more: hasMore } };
}

export const batchRoutes: Route[] = [
  { method: 'POST', pattern: /^\/v1\/batches$/, endpoint: 'POST /v1/batches', handle: create },
  { method: 'GET', pattern: /^\/v1\/batches$/, endpoint: 'GET /v1/batches', handle: list },
  { method: 'GET', pattern: /^\/v1\/batches\/([^/]+)$/, endpoint: 'GET /v1/batches/{id}', handle: (ctx) => ({ status: 200, body: ctx.state.batches.get(ctx.params[0]) }) },
  { method: 'POST', pattern: /^\/v1\/batches\/([^/]+)\/cancel$/, endpoint: 'POST /v1/batches/{id}/cancel', handle: (ctx) => ({ status: 200, body: ctx.state.batches.cancel(ctx.params[0]) }) },
];
