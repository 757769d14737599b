import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertStore } from './alerts';
import { CITIES } from './data';
import { createWeatherServer } from './server';

async function connect(alerts?: AlertStore) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const server = createWeatherServer({ alerts });
  await server.connect(serverSide);
  const client = new Client({ name: 'weather-spec', version: '1.0.0' });
  await client.connect(clientSide);
  return { client, close: async () => { await client.close(); await server.close(); } };
}

const textOf = (r: unknown) => ((r as { content: unknown }).content as { type: string; text: string }[]).map((b) => b.text).join('\n');

describe('weather MCP server (in memory)', () => {
  let conn: Awaited<ReturnType<typeof connect>>;
  beforeEach(async () => { conn = await connect(); });
  afterEach(async () => { await conn.close(); });

  it('lists the tools with their schemas and annotations', async () => {
    const { tools } = await conn.client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual(
      ['compare_cities', 'get_current_weather', 'get_forecast', 'get_trip_weather', 'list_alerts', 'search_cities', 'set_weather_alert'],
    );
    expect(byName.get_current_weather.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
    expect(byName.get_current_weather.outputSchema?.required).toContain('temperature');
    expect(byName.get_forecast.inputSchema.properties?.days).toMatchObject({ type: 'integer', minimum: 1, maximum: 7 });
    expect(byName.search_cities.inputSchema.properties?.filter).toMatchObject({ type: 'object' });
    expect(byName.set_weather_alert.annotations).toMatchObject({ destructiveHint: false });
    expect(byName.set_weather_alert.annotations?.readOnlyHint).toBeUndefined();
    expect(byName.list_alerts.inputSchema.properties).toEqual({});
    expect(CITIES.length).toBeGreaterThanOrEqual(25);
  });

  it('returns structured current weather that matches the text, deterministically', async () => {
    const a = await conn.client.callTool({ name: 'get_current_weather', arguments: { city: 'Paris', units: 'fahrenheit' } });
    const b = await conn.client.callTool({ name: 'get_current_weather', arguments: { city: 'paris' } });
    expect(a.isError).toBeFalsy();
    expect(a.structuredContent).toMatchObject({ city: 'Paris', country: 'France', units: 'fahrenheit', temperature: 55.4 });
    expect(b.structuredContent).toMatchObject({ units: 'celsius', temperature: 13 });
    expect(textOf(a)).toContain('55.4°F');
    const again = await conn.client.callTool({ name: 'get_current_weather', arguments: { city: 'Paris', units: 'fahrenheit' } });
    expect(again).toEqual(a);
  });

  it('answers an unknown city with an isError result', async () => {
    const r = await conn.client.callTool({ name: 'get_current_weather', arguments: { city: 'Atlantis' } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/Unknown city: "Atlantis"/);
  });

  it('forecasts 1..7 days with the requested extras and rejects 8', async () => {
    const r = await conn.client.callTool({ name: 'get_forecast', arguments: { city: 'Tokyo', days: 3, include: ['wind'] } });
    const body = JSON.parse(textOf(r));
    expect(body.days).toHaveLength(3);
    expect(body.days[0]).toHaveProperty('wind_kph');
    expect(body.days[0]).not.toHaveProperty('humidity_pct');
    expect(body.days[0].high).toBeGreaterThan(body.days[0].low);
    const bad = await conn.client.callTool({ name: 'get_forecast', arguments: { city: 'Tokyo', days: 8 } });
    expect(bad.isError).toBe(true);
  });

  it('compares and searches cities', async () => {
    const cmp = await conn.client.callTool({ name: 'compare_cities', arguments: { cities: ['Oslo', 'Dubai', 'London'], metric: 'temperature' } });
    expect(textOf(cmp).split('\n').slice(1)).toEqual(['1. Dubai: 35 °C', '2. London: 11 °C', '3. Oslo: 4 °C']);
    const found = await conn.client.callTool({ name: 'search_cities', arguments: { filter: { country: 'US', climate: 'arid' } } });
    expect(JSON.parse(textOf(found)).cities.map((c: { city: string }) => c.city)).toEqual(['Phoenix']);
    const limited = await conn.client.callTool({ name: 'search_cities', arguments: { filter: { min_temp_c: 25 }, limit: 2 } });
    const parsed = JSON.parse(textOf(limited));
    expect(parsed.cities).toHaveLength(2);
    expect(parsed.total).toBeGreaterThan(2);
  });

  it('plans trip weather per stop', async () => {
    const r = await conn.client.callTool({ name: 'get_trip_weather', arguments: { stops: [{ city: 'Rome', day: 1 }, { city: 'Athens', day: 2 }] } });
    expect(textOf(r).split('\n')).toHaveLength(2);
    expect(textOf(r)).toMatch(/^Day 1, Rome: /);
  });
});

describe('weather alerts', () => {
  it('keeps alerts in memory and logs each write to WEATHER_ALERT_LOG', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'weather-alerts-')), 'alerts.jsonl');
    const conn = await connect(new AlertStore(log));
    try {
      expect(textOf(await conn.client.callTool({ name: 'list_alerts', arguments: {} }))).toBe('No alerts set.');
      expect(existsSync(log)).toBe(false);
      const set = await conn.client.callTool({
        name: 'set_weather_alert',
        arguments: { city: 'Cairo', condition: { metric: 'temperature', operator: 'above', threshold: 25 }, notify: { channel: 'sms' } },
      });
      expect(textOf(set)).toMatch(/^Alert alert-1 set for Cairo.*would fire now/);
      const listed = JSON.parse(textOf(await conn.client.callTool({ name: 'list_alerts', arguments: {} })));
      expect(listed.alerts).toEqual([{ id: 'alert-1', city: 'Cairo', condition: { metric: 'temperature', operator: 'above', threshold: 25 }, notify: { channel: 'sms' } }]);
      const lines = readFileSync(log, 'utf8').trim().split('\n');
      expect(lines.map((l) => JSON.parse(l).alert.id)).toEqual(['alert-1']);
    } finally {
      await conn.close();
    }
  });
});
