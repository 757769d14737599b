// Test-control endpoints (no auth, not counted): GET /_stats, POST /_stats/reset, GET|POST /_faults,
// GET|POST /_limits, POST /_batches/step, GET|POST /_eval (evaluation mode: truth rows, broken shares;
// `{"off": true}` ends it). They let a test in another process steer the server.
import { parseJson } from './http';
import type { Route, RouteContext } from './routes';
import type { Reply } from './server-state';
import type { TestServer } from './server';
import type { EvalOracleConfig } from './eval-oracle';

async function jsonObject(ctx: RouteContext): Promise<Record<string, unknown>> {
  const buf = await ctx.body();
  if (buf.length === 0) return {};
  const v = parseJson(buf);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function badControl(err: unknown): Reply {
  return { status: 400, body: { error: { message: (err as Error).message, type: 'invalid_request_error', param: null, code: null } } };
}

export function controlRoutes(server: TestServer): Route[] {
  return [
    { method: 'GET', pattern: /^\/_stats$/, endpoint: 'control', handle: () => ({ status: 200, body: server.stats() }) },
    {
      method: 'POST',
      pattern: /^\/_stats\/reset$/,
      endpoint: 'control',
      handle: () => {
        server.resetStats();
        return { status: 200, body: server.stats() };
      },
    },
    { method: 'GET', pattern: /^\/_faults$/, endpoint: 'control', handle: () => ({ status: 200, body: server.faults() }) },
    {
      method: 'POST',
      pattern: /^\/_faults$/,
      endpoint: 'control',
      handle: async (ctx) => {
        try {
          server.setFaults(await jsonObject(ctx));
        } catch (err) {
          return badControl(err);
        }
        return { status: 200, body: server.faults() };
      },
    },
    { method: 'GET', pattern: /^\/_limits$/, endpoint: 'control', handle: () => ({ status: 200, body: server.limits() }) },
    {
      method: 'POST',
      pattern: /^\/_limits$/,
      endpoint: 'control',
      handle: async (ctx) => {
        try {
          server.setLimits(await jsonObject(ctx));
        } catch (err) {
          return badControl(err);
        }
        return { status: 200, body: server.limits() };
      },
    },
    { method: 'GET', pattern: /^\/_eval$/, endpoint: 'control', handle: () => ({ status: 200, body: server.evalReport() }) },
    {
      method: 'POST',
      pattern: /^\/_eval$/,
      endpoint: 'control',
      handle: async (ctx) => {
        try {
          const body = await jsonObject(ctx);
          server.setEval(body.off === true ? null : (body as unknown as EvalOracleConfig));
        } catch (err) {
          return badControl(err);
        }
        return { status: 200, body: server.evalReport() };
      },
    },
    {
      method: 'POST',
      pattern: /^\/_batches\/step$/,
      endpoint: 'control',
      handle: async (ctx) => {
        const times = Number((await jsonObject(ctx)).times ?? 1);
        server.stepBatches(times);
        return { status: 200, body: { stepped: times } };
      },
    },
  ];
}
