// The tools of the planted qc datasets: five weather-like MCP tools with the schema features real
// servers use (required properties, enums, integer bounds, a date format, additionalProperties: false),
// and the tools.lock.json that `mcp-forge qc --tools` reads.
import type { ToolDef, ToolsLock } from '../../packages/core/src/types';

const CITY = { type: 'string', minLength: 1, description: 'City name, e.g. "London" or "Paris, FR"' };

function tool(name: string, description: string, properties: Record<string, unknown>, required: string[]): ToolDef {
  return {
    name,
    serverToolName: name,
    server: 0,
    description,
    inputSchema: { type: 'object', properties, required, additionalProperties: false, $schema: 'http://json-schema.org/draft-07/schema#' },
    annotations: { readOnlyHint: true, openWorldHint: false },
  };
}

export const WEATHER_TOOLS: ToolDef[] = [
  tool('get_weather', 'Get the current weather (temperature, condition, humidity, wind) for a city.', {
    city: CITY,
    units: { type: 'string', enum: ['metric', 'imperial'], description: 'Unit system (default metric)' },
  }, ['city']),
  tool('get_forecast', 'Daily forecast for the next 1 to 7 days.', {
    city: CITY,
    days: { type: 'integer', minimum: 1, maximum: 7, description: 'Number of days' },
  }, ['city', 'days']),
  tool('get_air_quality', 'Air quality index and main pollutants right now.', { city: CITY }, ['city']),
  tool('get_alerts', 'Active weather alerts for a region, optionally only at or above a severity.', {
    region: { type: 'string', minLength: 1, description: 'Region or city name' },
    severity: { type: 'string', enum: ['minor', 'moderate', 'severe', 'extreme'], description: 'Lowest severity to list' },
  }, ['region']),
  tool('get_sunrise', 'Sunrise and sunset times for a city on a date.', {
    city: CITY,
    date: { type: 'string', format: 'date', description: 'Date as YYYY-MM-DD' },
  }, ['city', 'date']),
];

export function weatherLock(): ToolsLock {
  return { lockfileVersion: 1, servers: [{ label: 'planted weather tools (bench/qc)', name: 'weather', version: '0.0.0' }], tools: WEATHER_TOOLS };
}
