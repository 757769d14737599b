// inspectServers / serializeLock / readLock / diffLocks against real servers and files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ForgeError } from '../errors';
import type { ToolsLock } from '../types';
import { fixture, startWeatherHttp, weather } from './fixtures/servers';
import { diffLocks, formatLockDiff, globToRegExp, inspectServers, readLock, serializeLock } from './lock';

const tmp = () => mkdtempSync(join(tmpdir(), 'lock-spec-'));

async function failure(promise: Promise<unknown>): Promise<ForgeError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ForgeError);
  return err as ForgeError;
}

describe('inspectServers', () => {
  it('gives identical lock text on two inspections, with no env values or headers in it', async () => {
    const http = await startWeatherHttp();
    try {
      const servers = [weather({ env: { WEATHER_API_TOKEN: 'env-secret-123' } }), http.config({ headers: { Authorization: 'Bearer header-secret-456' }, prefix: 'remote' })];
      const first = serializeLock((await inspectServers(servers)).lock);
      const second = serializeLock((await inspectServers(servers)).lock);
      expect(second).toBe(first);
      expect(first).not.toContain('env-secret-123');
      expect(first).not.toContain('header-secret-456');
      expect(first.endsWith('}\n')).toBe(true);
      const lock = JSON.parse(first) as ToolsLock;
      expect(lock.servers).toEqual([
        { label: expect.stringContaining('weather-mcp-server.js'), name: 'weather-mcp-server', version: '0.1.0', protocolVersion: '2025-11-25' },
        { label: http.config().url, name: 'weather-mcp-server', version: '0.1.0', protocolVersion: '2025-11-25' },
      ]);
      const names = lock.tools.map((t) => t.name);
      expect(names).toEqual([...names].sort());
      expect(names).toContain('remote_get_forecast');
      const remote = lock.tools.find((t) => t.name === 'remote_get_forecast')!;
      expect(remote).toMatchObject({ serverToolName: 'get_forecast', server: 1 });
      expect(Object.keys(lock.tools.find((t) => t.name === 'get_current_weather')!)).toEqual([
        'name', 'serverToolName', 'server', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations',
      ]);
    } finally {
      http.stop();
    }
  });

  it('refuses duplicate names across servers, naming both and suggesting a prefix', async () => {
    const err = await failure(inspectServers([weather(), weather()]));
    expect(err.code).toBe('LOCK');
    expect(err.message).toMatch(/^Duplicate tool name "get_current_weather": both server\[0\] \(.*\) and server\[1\] \(.*\) provide it\.$/);
    expect(err.hint).toMatch(/prefix/);
  });

  it('applies include/exclude patterns to final or server names, and keeps per-tool warnings', async () => {
    const { lock, warnings } = await inspectServers([weather(), fixture('invalid-schemas', { prefix: 'gl' })], {
      include: ['get_*', 'gl_*', 'nothing_like_this'],
      exclude: ['*forecast', 'echo'],
    });
    expect(lock.tools.map((t) => t.name)).toEqual(['get_current_weather', 'get_trip_weather', 'gl_create_issue', 'gl_legacy_dict', 'gl_no_schema']);
    expect(lock.tools.find((t) => t.name === 'gl_create_issue')?.warnings?.[0]).toMatch(/no "type": "object"/);
    expect(lock.tools.find((t) => t.name === 'gl_no_schema')?.description).toBe('Lists no inputSchema at all');
    expect(warnings).toContain('tools.include pattern "nothing_like_this" matches no tool');
    expect(warnings.some((w) => w.startsWith('server[1] tool "create_issue"'))).toBe(true);
  });

  it('stops with the startup error of a failing server', async () => {
    const err = await failure(inspectServers([fixture('exits-early')]));
    expect(err.code).toBe('MCP_START');
  });
});

describe('readLock', () => {
  it('says how to create a missing lock', () => {
    const path = join(tmp(), 'weather-dataset', 'tools.lock.json');
    expect(() => readLock(path)).toThrow(`Lock file ${path} does not exist.`);
    try {
      readLock(path);
    } catch (err) {
      expect((err as ForgeError).code).toBe('LOCK');
      expect((err as ForgeError).hint).toMatch(/nx run weather-dataset:inspect/);
    }
  });

  it('gives line and column of invalid JSON', () => {
    const path = join(tmp(), 'tools.lock.json');
    writeFileSync(path, '{\n  "lockfileVersion": 1,\n  "servers": [}\n');
    expect(() => readLock(path)).toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:15: invalid JSON`));
  });

  it('lists what is wrong with the shape', () => {
    const path = join(tmp(), 'tools.lock.json');
    writeFileSync(path, JSON.stringify({ lockfileVersion: 2, servers: [{ label: 'x' }], tools: [{ name: 'a', serverToolName: 'a', server: 3, description: 'd', inputSchema: 'no' }] }));
    expect(() => readLock(path)).toThrow(
      ['lockfileVersion: expected 1, got 2', 'tools[0].server: expected an index into servers (0..0), got 3', 'tools[0].inputSchema: expected a JSON Schema (object or boolean)'].join('\n  '),
    );
  });

  it('reads back what serializeLock wrote', () => {
    const lock: ToolsLock = { lockfileVersion: 1, servers: [{ label: 'node s.js' }], tools: [{ name: 't', serverToolName: 't', server: 0, description: '', inputSchema: { type: 'object' } }] };
    const path = join(tmp(), 'tools.lock.json');
    writeFileSync(path, serializeLock(lock));
    expect(readLock(path)).toEqual(lock);
  });
});

describe('diffLocks', () => {
  const tool = (name: string, extra: Record<string, unknown> = {}) => ({ name, serverToolName: name, server: 0, description: `${name} tool`, inputSchema: { type: 'object', properties: { a: { type: 'string' } } }, ...extra });
  const lock = (...tools: ReturnType<typeof tool>[]): ToolsLock => ({ lockfileVersion: 1, servers: [{ label: 's' }], tools });

  it('reports added, removed and changed tools with the fields that changed', () => {
    const before = lock(tool('a'), tool('b'), tool('c'));
    const after = lock(tool('a', { inputSchema: { properties: { a: { type: 'string' } }, type: 'object' } }), tool('b', { description: 'new', annotations: { readOnlyHint: true } }), tool('d'));
    const diff = diffLocks(before, after);
    expect(diff).toEqual({ added: ['d'], removed: ['c'], changed: [{ name: 'b', fields: ['description', 'annotations'] }] });
    expect(formatLockDiff(diff)).toBe('1 added, 1 removed, 1 changed\n  + d (new tool)\n  - c (removed)\n  ~ b: description, annotations changed');
    expect(diffLocks(before, before)).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('globToRegExp', () => {
  it('treats only * and ? as wildcards', () => {
    expect(globToRegExp('get_*').test('get_forecast')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('t?').test('t1')).toBe(true);
  });
});
