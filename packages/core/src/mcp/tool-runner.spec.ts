// ToolRunner with real server processes: connection reuse, output validation, crash handling.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ForgeError } from '../errors';
import type { ToolDef } from '../types';
import { fixture, weather } from './fixtures/servers';
import { ToolRunner } from './tool-runner';

const def = (name: string, server: number, extra: Partial<ToolDef> = {}): ToolDef => ({ name, serverToolName: name, server, description: '', inputSchema: { type: 'object' }, ...extra });

describe('ToolRunner', () => {
  it('connects lazily, reuses one connection per server and routes by ToolDef.server', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'runner-')), 'alerts.jsonl');
    const runner = new ToolRunner([fixture('paginated'), weather({ env: { WEATHER_ALERT_LOG: log } })]);
    try {
      const alert = def('w_set_weather_alert', 1, { serverToolName: 'set_weather_alert' });
      const args = { city: 'Oslo', condition: { metric: 'temperature', operator: 'below', threshold: 0 } };
      expect((await runner.call(alert, args)).text).toMatch(/^Alert alert-1 set for Oslo/);
      // Same process: the in-memory alert counter went on.
      expect((await runner.call(alert, args)).text).toMatch(/^Alert alert-2 /);
      expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(2);
      expect(await runner.call(def('echo', 0), { text: 'hi' })).toEqual({ text: 'hi', isError: false, raw: { content: [{ type: 'text', text: 'hi' }] } });
      const unknown = await runner.call(def('get_current_weather', 1), { city: 'Atlantis' });
      expect(unknown).toMatchObject({ isError: true, text: expect.stringContaining('Unknown city') });
    } finally {
      await runner.close();
    }
  });

  it('validates structuredContent against the outputSchema and reports mismatches as warnings', async () => {
    const runner = new ToolRunner([fixture('paginated')]);
    const outputSchema = { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] };
    try {
      const good = await runner.call(def('structured', 0, { outputSchema }), { valid: true });
      expect(good.warnings).toBeUndefined();
      const bad = await runner.call(def('structured', 0, { outputSchema }), { valid: false });
      expect(bad.structuredContent).toEqual({ n: 'one' });
      expect(bad.warnings).toEqual(['structuredContent of tool "structured" does not match its outputSchema: /n must be number']);
      const missing = await runner.call(def('echo', 0, { outputSchema }), { text: 'x' });
      expect(missing.warnings).toEqual(['tool "echo" has an outputSchema but returned no structuredContent']);
    } finally {
      await runner.close();
    }
  });

  it('restarts a crashed server once, then fails with ForgeError', async () => {
    const runner = new ToolRunner([fixture('paginated')]);
    const crash = def('crash', 0);
    const echo = def('echo', 0);
    try {
      await expect(runner.call(crash, {})).rejects.toThrow(/is not running: the connection closed while calling tool "crash"/);
      expect((await runner.call(echo, { text: 'back' })).text).toBe('back');
      await expect(runner.call(crash, {})).rejects.toThrow(ForgeError);
      const err = await runner.call(echo, { text: 'again' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ForgeError);
      expect((err as ForgeError).code).toBe('MCP_CALL');
      expect((err as ForgeError).message).toMatch(/stopped 2 times; it is not started again/);
      expect((err as ForgeError).message).toContain('paginated: crashing on purpose');
    } finally {
      await runner.close();
    }
  });

  it('refuses a tool whose server index is not configured', async () => {
    const runner = new ToolRunner([]);
    await expect(runner.call(def('x', 2), {})).rejects.toMatchObject({ code: 'LOCK' });
    await runner.close();
  });

  it('fails every call with the startup error when the server cannot start', async () => {
    const runner = new ToolRunner([fixture('exits-early')]);
    await expect(runner.call(def('x', 0), {})).rejects.toMatchObject({ code: 'MCP_START' });
    await runner.close();
  });
});
