// Command-line options of `openai-test-server`, turned into TestServerOptions.
import { parseArgs } from 'node:util';
import type { Faults } from './faults';
import type { TestServerOptions } from './server';
import { readFileSync } from 'node:fs';
import type { EvalOracleConfig } from './eval-oracle';

function evalOptions(file: string | undefined, broken: number | undefined, textModels: string | undefined): EvalOracleConfig | undefined {
  if (file === undefined) {
    if (broken !== undefined || textModels !== undefined) throw new Error('--eval-broken and --eval-text-models need --eval-truth FILE.');
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`--eval-truth: cannot read ${file} (${(err as Error).message}).`);
  }
  const rows = text.split('\n').filter((l) => l.trim()).map((l, i) => {
    try {
      return JSON.parse(l);
    } catch {
      throw new Error(`--eval-truth: line ${i + 1} of ${file} is not JSON.`);
    }
  });
  if (broken !== undefined && broken > 1) throw new Error(`--eval-broken expects a share between 0 and 1, got ${broken}.`);
  return { rows, broken: broken === undefined ? undefined : { '*': broken }, textModels: textModels?.split(',').map((m) => m.trim()).filter(Boolean) };
}

export const USAGE = `Usage: openai-test-server [options]
  --port N                 port to listen on (default 0 = a free port)
  --host H                 interface (default 127.0.0.1)
  --api-key K              accept only this bearer key (default: any non-empty key)
  --latency-ms N           delay every /v1 reply by N ms
  --rpm N / --tpm N        real rate limits per minute (sliding window)
  --rate-quantum-ms N      also enforce them scaled to N ms (1000: --rpm 600 = 10 per second)
  --rate-bucket-ms N       OpenAI-style token buckets holding N ms of each limit instead of the window
  --retry-after F          hints on the limiter's 429s: ms (retry-after-ms + retry-after), seconds, none
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
  --eval-truth FILE        answer conversations of this eval.truth.jsonl from the truth (evaluation mode)
  --eval-broken S          share (0..1) of scored turns answered broken in a known way (GET /_eval lists them)
  --eval-text-models A,B   models that answer with <tool_call> blocks in text instead of tool_calls
  --help`;

function retryAfterMode(raw: string | undefined): TestServerOptions['retryAfter'] {
  if (raw === undefined) return undefined;
  if (raw === 'ms' || raw === 'seconds' || raw === 'none') return raw;
  throw new Error(`--retry-after expects ms, seconds or none, got '${raw}'.`);
}

/** Options from argv; `help` is true when --help was given. Throws with a clear message on bad input. */
export function optionsFromArgs(argv: string[]): TestServerOptions & { help?: boolean } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' }, host: { type: 'string' }, 'api-key': { type: 'string' }, 'latency-ms': { type: 'string' },
      rpm: { type: 'string' }, tpm: { type: 'string' }, 'fault-429': { type: 'string' }, 'fault-500': { type: 'string' },
      'fault-quota': { type: 'string' }, 'fault-truncate': { type: 'string' }, 'fault-malformed': { type: 'string' }, 'fault-refuse-parallel': { type: 'string' }, 'fault-max-length': { type: 'string' },
      'fault-seed': { type: 'string' }, 'retry-after-ms': { type: 'string' }, 'batch-step-ms': { type: 'string' }, 'rate-quantum-ms': { type: 'string' }, 'rate-bucket-ms': { type: 'string' }, 'retry-after': { type: 'string' }, help: { type: 'boolean' },
      'eval-truth': { type: 'string' }, 'eval-broken': { type: 'string' }, 'eval-text-models': { type: 'string' },
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
    rateBucketMs: num('rate-bucket-ms'),
    retryAfter: retryAfterMode(values['retry-after']),
    batchStepMs: num('batch-step-ms'),
    faults,
    help: values.help,
    eval: evalOptions(values['eval-truth'], num('eval-broken'), values['eval-text-models']),
  };
}
