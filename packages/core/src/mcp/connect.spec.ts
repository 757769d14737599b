// connectServer against real processes: the weather server (stdio and HTTP) and failing fixtures.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ForgeError } from '../errors';
import { connectServer, serverLabel } from './connect';
import { fixture, startWeatherHttp, weather, WEATHER_BIN } from './fixtures/servers';

async function startFailure(promise: Promise<unknown>): Promise<ForgeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ForgeError);
  return err as ForgeError;
}

/** A port nothing listens on: bind a free one, then release it. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function processGone(pid: number): Promise<boolean> {
  // The child is reaped asynchronously after SIGKILL; poll briefly instead of asserting on timing.
  return new Promise((resolve) => {
    let tries = 0;
    const check = () => {
      try {
        process.kill(pid, 0);
      } catch {
        return resolve(true);
      }
      if (++tries > 100) return resolve(false);
      setTimeout(check, 20);
    };
    check();
  });
}

describe('connectServer (stdio)', () => {
  it('connects to the weather server and reports its identity', async () => {
    const conn = await connectServer(weather({ env: { SOME_SECRET: 'do-not-print-me' } }));
    try {
      expect(conn.serverInfo).toEqual({ name: 'weather-mcp-server', version: '0.1.0' });
      expect(conn.protocolVersion).toBe('2025-11-25');
      expect(conn.label).toBe(`${process.execPath} ${WEATHER_BIN}`);
      expect(conn.label).not.toContain('do-not-print-me');
      expect(conn.stderrTail()).toContain('weather-mcp-server running on stdio');
      expect(conn.isClosed()).toBe(false);
    } finally {
      await conn.close();
    }
    expect(conn.isClosed()).toBe(true);
  });

  it('passes env (merged over ours) and cwd to the child', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'connect-env-'));
    const conn = await connectServer(weather({ env: { WEATHER_ALERT_LOG: 'alerts.jsonl' }, cwd: dir }));
    try {
      await conn.client.callTool({ name: 'set_weather_alert', arguments: { city: 'Rome', condition: { metric: 'wind', operator: 'above', threshold: 1 } } });
      expect(readFileSync(join(dir, 'alerts.jsonl'), 'utf8')).toContain('"city":"Rome"');
    } finally {
      await conn.close();
    }
  });

  it('fails inside the startup timeout when the server never answers, and kills it', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'never-')), 'pid');
    const err = await startFailure(connectServer(fixture('never-answers', { startupTimeoutMs: 1500, env: { PID_FILE: pidFile } })));
    expect(err.code).toBe('MCP_START');
    expect(err.message).toMatch(/did not answer initialize within 1500 ms \(timed out\)/);
    expect(err.message).toContain('never-answers: started');
    expect(err.hint).toMatch(/startupTimeoutMs/);
    expect(await processGone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  }, 10_000);

  it('reports the stderr of a server that exits during startup', async () => {
    const err = await startFailure(connectServer(fixture('exits-early')));
    expect(err.code).toBe('MCP_START');
    expect(err.message).toMatch(/exited during startup/);
    expect(err.message).toContain('FATAL: WEATHER_DB_URL is not set');
  });

  it('names a command that does not exist', async () => {
    const err = await startFailure(connectServer({ ...weather(), command: 'mcp-forge-no-such-server', args: ['--stdio'] }));
    expect(err.code).toBe('MCP_START');
    expect(err.message).toBe('Cannot start MCP server: command "mcp-forge-no-such-server" was not found (ENOENT).');
    expect(err.hint).toMatch(/PATH/);
  });

  it('names a working directory that does not exist', async () => {
    const err = await startFailure(connectServer(weather({ cwd: '/nonexistent/mcp-forge-dir' })));
    expect(err.message).toMatch(/working directory \/nonexistent\/mcp-forge-dir does not exist/);
  });
});

describe('connectServer (Streamable HTTP)', () => {
  let http: Awaited<ReturnType<typeof startWeatherHttp>>;
  beforeAll(async () => {
    http = await startWeatherHttp();
  });
  afterAll(() => http.stop());

  it('connects with headers and labels the server by URL only', async () => {
    const cfg = http.config({ headers: { Authorization: 'Bearer sekrit-token' } });
    const conn = await connectServer(cfg);
    try {
      expect(conn.serverInfo?.name).toBe('weather-mcp-server');
      expect(conn.protocolVersion).toBe('2025-11-25');
      expect(conn.label).toBe(cfg.url);
      const { tools } = await conn.client.listTools();
      expect(tools.length).toBe(7);
    } finally {
      await conn.close();
    }
  });

  it('fails clearly when nothing listens', async () => {
    const port = await closedPort();
    const err = await startFailure(connectServer({ url: `http://127.0.0.1:${port}/mcp`, headers: {}, startupTimeoutMs: 5000, callTimeoutMs: 5000 }));
    expect(err.code).toBe('MCP_START');
    expect(err.message).toContain(`Cannot connect to MCP server at http://127.0.0.1:${port}/mcp (ECONNREFUSED): fetch failed`);
  });

  it('reports an HTTP error status', async () => {
    const err = await startFailure(connectServer(http.config({ url: http.config().url.replace('/mcp', '/nope') })));
    expect(err.message).toMatch(/\(HTTP 404\)/);
  });
});

describe('serverLabel', () => {
  it('drops credentials and secret-looking query values from URLs', () => {
    expect(serverLabel({ url: 'https://user:pw@mcp.example.com/mcp?api_key=abc&region=eu', headers: { A: 'b' }, startupTimeoutMs: 1, callTimeoutMs: 1 })).toBe(
      'https://mcp.example.com/mcp?api_key=***&region=eu',
    );
  });
});
