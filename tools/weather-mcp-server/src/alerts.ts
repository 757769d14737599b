// Weather alerts: the one thing this server writes. Alerts live in memory (per process); when
// WEATHER_ALERT_LOG names a file, every set_weather_alert call is also appended there as one JSON
// line, so tests can tell whether a write tool really ran on the server or was only simulated.
import { appendFileSync } from 'node:fs';
import type { Metric } from './data';

export const OPERATORS = ['above', 'below', 'equals'] as const;
export type Operator = (typeof OPERATORS)[number];

export const CHANNELS = ['email', 'sms', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Alert {
  id: string;
  city: string;
  condition: { metric: Metric; operator: Operator; threshold: number };
  notify?: { channel: Channel; address?: string };
}

export class AlertStore {
  private readonly alerts: Alert[] = [];
  private nextId = 1;

  constructor(private readonly logFile: string | undefined = process.env.WEATHER_ALERT_LOG) {}

  add(alert: Omit<Alert, 'id'>): Alert {
    // Ids count up per process so results stay reproducible (no clock, no random ids).
    const saved: Alert = { id: `alert-${this.nextId++}`, ...alert };
    this.alerts.push(saved);
    if (this.logFile) appendFileSync(this.logFile, `${JSON.stringify({ tool: 'set_weather_alert', alert: saved })}\n`);
    return saved;
  }

  list(): Alert[] {
    return this.alerts.map((a) => structuredClone(a));
  }
}

export function triggers(value: number, operator: Operator, threshold: number): boolean {
  if (operator === 'above') return value > threshold;
  if (operator === 'below') return value < threshold;
  return value === threshold;
}
