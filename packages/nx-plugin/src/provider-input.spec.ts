// The provider runtime input as Nx runs it (`sh -c`): it tells builds with and without an API key and
// with different endpoints apart, and never contains the key.
import { execFileSync } from 'node:child_process';
import { providerInput } from './plugin';

const run = (env: NodeJS.ProcessEnv) => {
  const { runtime } = providerInput('/ws', 'datasets/d/forge.yaml');
  return execFileSync('sh', ['-c', runtime], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
};

describe('provider runtime input (POSIX shell)', () => {
  it('depends on whether a key is set and on the endpoint, not on the key itself', () => {
    const none = run({});
    const keyA = run({ OPENAI_API_KEY: 'sk-first-secret' });
    const keyB = run({ OPENAI_API_KEY: 'sk-second-secret' });
    expect(keyA).toBe(keyB);
    expect(keyA).not.toBe(none);
    expect(keyA).not.toContain('secret');
    expect(run({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' })).not.toBe(run({ OPENAI_BASE_URL: 'http://127.0.0.1:2/v1' }));
    expect(run({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' })).not.toBe(none);
  });
});
