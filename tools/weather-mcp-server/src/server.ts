// The weather MCP server: a real MCP SDK server with deterministic data and no network access.
// `createWeatherServer` builds one server instance; main.ts connects it to stdio or Streamable HTTP.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerAlertTools } from './alert-tools';
import { AlertStore } from './alerts';
import { registerReadTools } from './read-tools';

export const SERVER_NAME = 'weather-mcp-server';
export const SERVER_VERSION = '0.1.0';

export interface WeatherServerOptions {
  /** Shared alert store (one per process, so stateless HTTP requests see the same alerts). */
  alerts?: AlertStore;
}

export function createWeatherServer(options: WeatherServerOptions = {}): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version: SERVER_VERSION },
    { instructions: 'Weather for about thirty world cities from a fixed table (no live data). Day 1 of a forecast is tomorrow.' },
  );
  registerReadTools(server);
  registerAlertTools(server, options.alerts ?? new AlertStore());
  return server;
}

export { AlertStore } from './alerts';
export { CITIES, findCity } from './data';
