// The read-only tools. Their schemas are deliberately varied (enums, bounded integers, arrays of
// enums, nested optional objects, arrays of objects) because datasets built from this server are
// meant to exercise everything a real MCP schema can contain.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import {
  CITIES,
  CLIMATES,
  METRICS,
  METRIC_UNITS,
  UNITS,
  type City,
  currentWeather,
  findCity,
  forecastDay,
  metricValue,
  toUnits,
  unknownCityMessage,
} from './data';
import { registerTool } from './register';

const READ_ONLY = { readOnlyHint: true, openWorldHint: false, idempotentHint: true } as const;
const city = z.string().min(1).describe('City name, e.g. "London" or "Paris, FR"');
const units = z.enum(UNITS).optional().describe('Temperature units (default celsius)');
const deg = (u: (typeof UNITS)[number]) => (u === 'fahrenheit' ? '°F' : '°C');

export function text(body: string): CallToolResult {
  return { content: [{ type: 'text', text: body }] };
}

export function failure(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** Resolves every name or returns the error result naming the unknown ones. */
function resolveCities(names: string[]): City[] | CallToolResult {
  const found = names.map((n) => findCity(n));
  const unknown = names.filter((_, i) => !found[i]);
  if (unknown.length === 1) return failure(unknownCityMessage(unknown[0]));
  if (unknown.length > 1) return failure(`Unknown cities: ${unknown.map((n) => `"${n}"`).join(', ')}. Use search_cities to list known cities.`);
  return found as City[];
}

const currentOutput = {
  city: z.string(),
  country: z.string(),
  temperature: z.number(),
  feels_like: z.number(),
  units: z.enum(UNITS),
  condition: z.string(),
  humidity_pct: z.number().int(),
  wind_kph: z.number(),
  precipitation_mm: z.number(),
};

export function registerReadTools(server: McpServer): void {
  registerTool(
    server,
    'get_current_weather',
    {
      title: 'Current weather',
      description: 'Get the current weather (temperature, condition, humidity, wind) for a city.',
      inputSchema: { city, units },
      outputSchema: currentOutput,
      annotations: { title: 'Current weather', ...READ_ONLY },
    },
    async (args) => {
      const found = findCity(args.city);
      if (!found) return failure(unknownCityMessage(args.city));
      const u = args.units ?? 'celsius';
      const now = currentWeather(found);
      const structured = {
        city: found.name,
        country: found.country,
        temperature: toUnits(now.tempC, u),
        feels_like: toUnits(now.feelsLikeC, u),
        units: u,
        condition: now.condition,
        humidity_pct: now.humidityPct,
        wind_kph: now.windKph,
        precipitation_mm: now.precipMm,
      };
      const line =
        `Current weather in ${found.name}, ${found.country}: ${structured.temperature}${deg(u)} ` +
        `(feels like ${structured.feels_like}${deg(u)}), ${now.condition}, humidity ${now.humidityPct}%, wind ${now.windKph} km/h.`;
      return { content: [{ type: 'text', text: line }], structuredContent: structured };
    },
  );

  registerTool(
    server,
    'get_forecast',
    {
      title: 'Weather forecast',
      description: 'Get a daily forecast (high/low temperature and condition) for the next 1 to 7 days. Day 1 is tomorrow.',
      inputSchema: {
        city,
        days: z.number().int().min(1).max(7).describe('Number of days to forecast (1-7)'),
        units,
        include: z
          .array(z.enum(['precipitation', 'wind', 'humidity']))
          .optional()
          .describe('Extra fields to include for each day'),
      },
      annotations: { title: 'Weather forecast', ...READ_ONLY },
    },
    async (args) => {
      const found = findCity(args.city);
      if (!found) return failure(unknownCityMessage(args.city));
      const u = args.units ?? 'celsius';
      const extra = new Set(args.include ?? []);
      const days = Array.from({ length: args.days }, (_, i) => {
        const d = forecastDay(found, i + 1);
        return {
          day: d.day,
          high: toUnits(d.highC, u),
          low: toUnits(d.lowC, u),
          condition: d.condition,
          ...(extra.has('precipitation') ? { precipitation_mm: d.precipMm } : {}),
          ...(extra.has('wind') ? { wind_kph: d.windKph } : {}),
          ...(extra.has('humidity') ? { humidity_pct: d.humidityPct } : {}),
        };
      });
      return text(JSON.stringify({ city: found.name, country: found.country, units: u, days }, null, 2));
    },
  );

  registerTool(
    server,
    'compare_cities',
    {
      title: 'Compare cities',
      description: 'Rank 2 to 5 cities by a weather metric today, highest first.',
      inputSchema: {
        cities: z.array(z.string().min(1)).min(2).max(5).describe('City names to compare'),
        metric: z.enum(METRICS).describe('What to compare'),
      },
      annotations: { title: 'Compare cities', ...READ_ONLY },
    },
    async (args) => {
      const resolved = resolveCities(args.cities);
      if (!Array.isArray(resolved)) return resolved;
      const ranked = resolved
        .map((c) => ({ city: c.name, value: metricValue(c, args.metric) }))
        .sort((a, b) => b.value - a.value || a.city.localeCompare(b.city));
      const unit = METRIC_UNITS[args.metric];
      const lines = ranked.map((r, i) => `${i + 1}. ${r.city}: ${r.value} ${unit}`);
      return text(`${args.metric} today, highest first:\n${lines.join('\n')}`);
    },
  );

  registerTool(
    server,
    'search_cities',
    {
      title: 'Search cities',
      description: 'Find known cities by country, climate and temperature range.',
      inputSchema: {
        filter: z
          .object({
            country: z.string().optional().describe('Country name or ISO code, e.g. "United States" or "US"'),
            climate: z.enum(CLIMATES).optional(),
            min_temp_c: z.number().optional().describe('Lowest current temperature in °C'),
            max_temp_c: z.number().optional().describe('Highest current temperature in °C'),
          })
          .describe('All given conditions must hold'),
        limit: z.number().int().min(1).max(50).optional().describe('Maximum number of results (default 10)'),
      },
      annotations: { title: 'Search cities', ...READ_ONLY },
    },
    async ({ filter, limit }) => {
      const country = filter.country?.trim().toLowerCase();
      const matches = CITIES.filter(
        (c) =>
          (!country || c.country.toLowerCase() === country || c.countryCode.toLowerCase() === country) &&
          (!filter.climate || c.climate === filter.climate) &&
          (filter.min_temp_c === undefined || c.tempC >= filter.min_temp_c) &&
          (filter.max_temp_c === undefined || c.tempC <= filter.max_temp_c),
      );
      const shown = matches.slice(0, limit ?? 10).map((c) => ({
        city: c.name,
        country: c.country,
        climate: c.climate,
        temperature_c: c.tempC,
        lat: c.lat,
        lon: c.lon,
      }));
      return text(JSON.stringify({ total: matches.length, cities: shown }, null, 2));
    },
  );

  registerTool(
    server,
    'get_trip_weather',
    {
      title: 'Trip weather',
      description: 'Get the forecast for each stop of a trip (a city and the day you will be there).',
      inputSchema: {
        stops: z
          .array(
            z.object({
              city,
              day: z.number().int().min(1).max(7).describe('Day of the stay, 1 = tomorrow'),
            }),
          )
          .min(1)
          .max(10)
          .describe('Trip stops in order'),
        units,
      },
      annotations: { title: 'Trip weather', ...READ_ONLY },
    },
    async ({ stops, units: u = 'celsius' }) => {
      const resolved = resolveCities(stops.map((s) => s.city));
      if (!Array.isArray(resolved)) return resolved;
      const lines = stops.map((s, i) => {
        const d = forecastDay(resolved[i], s.day);
        return `Day ${s.day}, ${resolved[i].name}: ${d.condition}, ${toUnits(d.lowC, u)}-${toUnits(d.highC, u)}${deg(u)}`;
      });
      return text(lines.join('\n'));
    },
  );
}
