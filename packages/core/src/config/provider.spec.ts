import { parseConfigText } from './loader';
import { configFingerprint, describeConfigForHash, redactUrl, resolveProvider } from './provider';

const config = (yaml: string, file = '/ws/datasets/demo/forge.yaml', env: NodeJS.ProcessEnv = {}) => parseConfigText(yaml, file, { env });
const BASE = 'server: { command: node }\n';

describe('resolveProvider', () => {
  it('auto is offline with no OpenAI settings', () => {
    expect(resolveProvider(config(BASE), {})).toBe('offline');
    expect(resolveProvider(config(BASE), { OPENAI_API_KEY: '' })).toBe('offline');
  });
  it('auto is openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, or generator.baseURL is given', () => {
    expect(resolveProvider(config(BASE), { OPENAI_API_KEY: 'sk-test' })).toBe('openai');
    expect(resolveProvider(config(BASE), { OPENAI_BASE_URL: 'http://localhost:8000/v1' })).toBe('openai');
    expect(resolveProvider(config(`${BASE}generator: { baseURL: "http://localhost:8000/v1" }\n`), {})).toBe('openai');
  });
  it('an explicit provider wins over the environment', () => {
    expect(resolveProvider(config(`${BASE}generator: { provider: offline }\n`), { OPENAI_API_KEY: 'sk-test' })).toBe('offline');
    expect(resolveProvider(config(`${BASE}generator: { provider: openai }\n`), {})).toBe('openai');
  });
});

describe('describeConfigForHash', () => {
  const secretYaml = `server:
  - command: node
    env: { API_TOKEN: "\${SECRET}" }
  - url: "https://user:pw@mcp.example.com/mcp?token=\${SECRET}"
    headers: { Authorization: "Bearer \${SECRET}" }
generator: { baseURL: "https://gw.example.com/v1?key=\${SECRET}" }
`;

  it('never contains keys, env or header values, or URL credentials', () => {
    const env = { SECRET: 'hunter2-very-secret', OPENAI_API_KEY: 'sk-live-abc' };
    // baseURL holds no ${} (the loader only expands server fields), so give it literally.
    const cfg = config(secretYaml.replace('?key=${SECRET}', '?key=literal-key'), '/ws/d/forge.yaml', env);
    const text = JSON.stringify(describeConfigForHash(cfg, env));
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('sk-live-abc');
    expect(text).not.toContain('literal-key');
    expect(text).not.toContain('pw@');
    expect(text).toContain('"API_TOKEN"');
    expect(text).toContain('"Authorization"');
    expect(text).toContain('https://mcp.example.com/mcp?token=*');
  });

  it('includes the resolved provider, so offline and openai builds never share a key', () => {
    const cfg = config(BASE);
    expect(describeConfigForHash(cfg, {}).provider).toBe('offline');
    expect(describeConfigForHash(cfg, { OPENAI_API_KEY: 'sk-x' }).provider).toBe('openai');
    expect(configFingerprint(cfg, {})).not.toBe(configFingerprint(cfg, { OPENAI_API_KEY: 'sk-x' }));
    // The key itself is not part of it: two keys, same fingerprint.
    expect(configFingerprint(cfg, { OPENAI_API_KEY: 'sk-a' })).toBe(configFingerprint(cfg, { OPENAI_API_KEY: 'sk-b' }));
  });

  it('is the same wherever the workspace lives, and ignores speed-only knobs', () => {
    const yaml = `${BASE}output: { dir: ../../dist/demo }\nmix: { real: [{ path: data.jsonl }] }\n`;
    const here = config(yaml, '/ws/datasets/demo/forge.yaml');
    const there = config(yaml, '/home/ci/checkout/datasets/demo/forge.yaml');
    expect(configFingerprint(here, {})).toBe(configFingerprint(there, {}));
    expect(describeConfigForHash(here, {})).toMatchObject({ output: { dir: '../../dist/demo' }, mix: { real: [{ path: 'data.jsonl' }] } });
    const tuned = config(`${yaml}generator: { concurrency: 64, maxRetries: 1, timeoutMs: 5000, batch: true }\n`);
    expect(configFingerprint(tuned, {})).toBe(configFingerprint(here, {}));
  });

  it('changes with anything that shapes the results', () => {
    const base = configFingerprint(config(BASE), {});
    for (const extra of ['seed: 1', 'samples: 3', 'generator: { model: gpt-5-nano }', 'execution: live', 'judge: { minScore: 0.5 }', 'output: { formats: [openai] }']) {
      expect(configFingerprint(config(`${BASE}${extra}\n`), {})).not.toBe(base);
    }
    expect(configFingerprint(config(BASE), { OPENAI_BASE_URL: 'http://localhost:1/v1' })).not.toBe(
      configFingerprint(config(BASE), { OPENAI_BASE_URL: 'http://localhost:2/v1' }),
    );
  });
});

describe('redactUrl', () => {
  it('drops credentials, query values and fragments', () => {
    expect(redactUrl('https://u:p@h.example/x?a=1&b=2#frag')).toBe('https://h.example/x?a=*&b=*');
    expect(redactUrl('not a url')).toBe('(invalid URL)');
  });
});
