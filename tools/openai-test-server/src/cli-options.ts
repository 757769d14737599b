// Command-line options of `openai-test-server`, turned into TestServerOptions.
import { parseArgs } from 'node:util';
import type { Faults } from './faults';
import type { TestServerOptions } from './server';

export const USAGE = `Usage: openai-test-server [options]
  --port N                 port to listen on (default 0 = a free port)
  --host H                 interface (default 127.0.0.1)
  --api-key K              accept only this bearer key (default: any non-empty key)
  --latency-ms N           delay every /v1 reply by N ms
  --rpm N / --tpm N        real rate limits per minute (sliding window)
  --rate-quantum-ms N      also enforce them scaled to N ms (1000: --rpm 600 = 10 per second)
  --fault-429 S            share (0..1) of requests answered 429 rate_limit_exceeded
  --fault-500 S            share answered 500 server_error
  --fault-quota S          share answered 429 insufficient_quota
  --fault-truncate S       share of replies cut short (finish_reason "length")
  --fault-malformed S      share of replies with malformed non-strict tool arguments
  --fault-refuse-parallel S share of replies with 2+ calls that make only the first
  --fault-max-length S     share of calls with a string argument over its maxLength
  --fault-seed N           seed for fault decisions (default 0)
  --retry-after-ms N       retry-after-ms sent with injected 429s (default 1000)
  --batch-step-ms N        ms between batch steps (default 20)
  --help`;

/** Options from argv; `help` is true when --help was given. Throws with a clear message on bad input. */
export function optionsFromArgs(argv: string[]): TestServerOptions & { help?: boolean } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' }, host: { type: 'string' }, 'api-key': { type: 'string' }, 'latency-ms': { type: 'string' },
      rpm: { type: 'string' }, tpm: { type: 'string' }, 'fault-429': { type: 'string' }, 'fault-500': { type: 'string' },
      'fault-quota': { type: 'string' }, 'fault-truncate': { type: 'string' }, 'fault-malformed': { type: 'string' }, 'fault-refuse-parallel': { type: 'string' }, 'fault-max-length': { type: 'string' },
      'fault-seed': { type: 'string' }, 'retry-after-ms': { type: 'string' }, 'batch-step-ms': { type: 'string' }, 'rate-quantum-ms': { type: 'string' }, help: { type: 'boolean' },
    },
  });
  const num = (name: string): number | undefined => {
    const raw = (values as Record<string, string | undefined>)[name];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} expects a number >= 0, got '${raw}'.`);
    return n;
  };
  const faults: Partial<Faults> = {};
  const put = (key: keyof Faults, flag: string) => {
    const v = num(flag);
    if (v !== undefined) faults[key] = v;
  };
  put('rateLimit', 'fault-429');
  put('serverError', 'fault-500');
  put('insufficientQuota', 'fault-quota');
  put('truncation', 'fault-truncate');
  put('malformedArguments', 'fault-malformed');
  put('refuseParallel', 'fault-refuse-parallel');
  put('violateMaxLength', 'fault-max-length');
  put('seed', 'fault-seed');
  put('latencyMs', 'latency-ms');
  put('retryAfterMs', 'retry-after-ms');
  return {
    port: num('port'),
    host: values.host,
    apiKey: values['api-key'],
    rpm: num('rpm'),
    tpm: num('tpm'),
    rateQuantumMs: num('rate-quantum-ms'),
    batchStepMs: num('batch-step-ms'),
    faults,
    help: values.help,
  };
}
