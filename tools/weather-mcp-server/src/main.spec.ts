// The server as a real process: stdio (the default) and Streamable HTTP (--http 0).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const BIN = resolve(__dirname, '../bin/weather-mcp-server.js');

describe('weather-mcp-server process', () => {
  it('serves over stdio and writes alerts to WEATHER_ALERT_LOG', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'weather-stdio-')), 'alerts.jsonl');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN],
      env: { ...(process.env as Record<string, string>), WEATHER_ALERT_LOG: log },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'stdio-spec', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect(client.getServerVersion()).toEqual({ name: 'weather-mcp-server', version: '0.1.0' });
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(7);
      const r = await client.callTool({ name: 'get_current_weather', arguments: { city: 'Sydney' } });
      expect(r.structuredContent).toMatchObject({ city: 'Sydney', temperature: 23 });
      await client.callTool({ name: 'set_weather_alert', arguments: { city: 'Oslo', condition: { metric: 'wind', operator: 'above', threshold: 30 } } });
      expect(JSON.parse(readFileSync(log, 'utf8')).alert).toMatchObject({ id: 'alert-1', city: 'Oslo' });
    } finally {
      await client.close();
    }
  });

  describe('--http', () => {
    let child: ChildProcess;
    let url: string;
    beforeAll(async () => {
      child = spawn(process.execPath, [BIN, '--http', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
      url = await new Promise<string>((ok, fail) => {
        let err = '';
        child.stderr!.on('data', (d: Buffer) => {
          err += d.toString();
          const m = /listening on (\S+)/.exec(err);
          if (m) ok(m[1]);
        });
        child.once('exit', (code) => fail(new Error(`server exited with ${code}: ${err}`)));
      });
    });
    afterAll(() => {
      child.kill();
    });

    it('serves Streamable HTTP with shared alert state across requests', async () => {
      const client = new Client({ name: 'http-spec', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(url)));
      try {
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name)).toContain('search_cities');
        await client.callTool({ name: 'set_weather_alert', arguments: { city: 'Lagos', condition: { metric: 'humidity', operator: 'below', threshold: 50 } } });
        const listed = await client.callTool({ name: 'list_alerts', arguments: {} });
        expect((listed.content as { text: string }[])[0].text).toContain('"city": "Lagos"');
      } finally {
        await client.close();
      }
    });

    it('answers GET with 405 (stateless server)', async () => {
      const res = await fetch(url);
      expect(res.status).toBe(405);
    });
  });
});
