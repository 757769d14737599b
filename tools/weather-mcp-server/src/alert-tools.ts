// The alert tools: set_weather_alert writes (so `execution: auto` must never call it live),
// list_alerts reads and takes no parameters at all.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { AlertStore, CHANNELS, OPERATORS, triggers } from './alerts';
import { METRICS, METRIC_UNITS, findCity, metricValue, unknownCityMessage } from './data';
import { failure, text } from './read-tools';
import { registerTool } from './register';

export function registerAlertTools(server: McpServer, store: AlertStore): void {
  registerTool(
    server,
    'set_weather_alert',
    {
      title: 'Set weather alert',
      description: 'Create an alert that fires when a weather metric in a city crosses a threshold.',
      inputSchema: {
        city: z.string().min(1).describe('City to watch'),
        condition: z
          .object({
            metric: z.enum(METRICS),
            operator: z.enum(OPERATORS),
            threshold: z.number().describe('In °C, %, km/h or mm depending on the metric'),
          })
          .describe('When the alert fires'),
        notify: z
          .object({
            channel: z.enum(CHANNELS),
            address: z.string().optional().describe('Email address, phone number or URL for the channel'),
          })
          .optional()
          .describe('How to deliver the alert (default: only listed by list_alerts)'),
      },
      // A write that adds state but destroys nothing; deliberately no readOnlyHint.
      annotations: { title: 'Set weather alert', destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async (args) => {
      const found = findCity(args.city);
      if (!found) return failure(unknownCityMessage(args.city));
      const alert = store.add({ city: found.name, condition: args.condition, ...(args.notify ? { notify: args.notify } : {}) });
      const { metric, operator, threshold } = args.condition;
      const now = metricValue(found, metric);
      const firing = triggers(now, operator, threshold);
      return text(
        `Alert ${alert.id} set for ${found.name}: ${metric} ${operator} ${threshold} ${METRIC_UNITS[metric]}` +
          `${args.notify ? ` (notify by ${args.notify.channel})` : ''}. Current ${metric} is ${now} ${METRIC_UNITS[metric]}` +
          `${firing ? ', so it would fire now.' : '.'}`,
      );
    },
  );

  registerTool(
    server,
    'list_alerts',
    {
      title: 'List alerts',
      description: 'List the weather alerts set so far.',
      annotations: { title: 'List alerts', readOnlyHint: true, openWorldHint: false },
    },
    async () => {
      const alerts = store.list();
      return text(alerts.length ? JSON.stringify({ alerts }, null, 2) : 'No alerts set.');
    },
  );
}
