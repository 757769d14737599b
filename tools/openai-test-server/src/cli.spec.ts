// The command-line server: a real process started through bin/openai-test-server.js.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import OpenAI from 'openai';
import { optionsFromArgs } from './cli-options';
import type { ServerStats } from './stats';

const BIN = join(__dirname, '..', 'bin', 'openai-test-server.js');

describe('optionsFromArgs', () => {
  it('maps flags to options and faults', () => {
    expect(optionsFromArgs(['--port', '8787', '--rpm', '60', '--fault-429', '0.2', '--fault-500', '0.05', '--latency-ms', '30', '--fault-seed', '9'])).toMatchObject({
      port: 8787,
      rpm: 60,
      faults: { rateLimit: 0.2, serverError: 0.05, latencyMs: 30, seed: 9 },
    });
  });
  it('explains bad values and unknown flags', () => {
    expect(() => optionsFromArgs(['--rpm', 'lots'])).toThrow("--rpm expects a number >= 0, got 'lots'.");
    expect(() => optionsFromArgs(['--fault-404', '1'])).toThrow(/Unknown option '--fault-404'/);
  });
});

describe('bin/openai-test-server.js', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill();
  });

  it('prints its URL and serves with the faults it was given', async () => {
    child = spawn(process.execPath, [BIN, '--port', '0', '--fault-500', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).once('line', resolve);
      child!.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const client = new OpenAI({ apiKey: 'test', baseURL: url, maxRetries: 0 });
    await expect(client.chat.completions.create({ model: 'gpt-5-nano', messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    const stats = (await (await fetch(url.replace(/\/v1$/, '/_stats'))).json()) as ServerStats;
    expect(stats.requests.byModel['gpt-5-nano']).toEqual({ total: 1, '500': 1 });
  });
});
