import path from 'node:path';
import { ConfigError } from '../errors';
import { parseConfigText } from './loader';

const WS = '/ws';
const FILE = '/ws/datasets/demo/forge.yaml';
const ENV = { WEATHER_TOKEN: 'tok-123', MCP_HOST: 'mcp.example.com' };

function load(text: string) {
  return parseConfigText(text, FILE, { workspaceRoot: WS, env: ENV });
}

describe('parseConfigText: valid configs', () => {
  it('applies every default to a minimal config', () => {
    const cfg = load('server:\n  command: node\n');
    expect(cfg).toEqual({
      filepath: FILE,
      dir: '/ws/datasets/demo',
      // no `name`: it is never taken from the folder (the pipeline uses the Nx project or --name)
      servers: [{ command: 'node', args: [], env: {}, cwd: '/ws/datasets/demo', startupTimeoutMs: 15000, callTimeoutMs: 30000 }],
      tools: { exclude: [], overrides: {}, offer: '3-8' },
      samples: 50,
      scenarios: { standard: 0.3, multiple: 0.15, parallel: 0.07, parallel_multiple: 0.07, sequential: 0.07, multi_turn: 0.05, irrelevance: 0.08, no_tool: 0.07, error: 0.06, ambiguous: 0.04, edge: 0.04 },
      generator: { provider: 'auto', model: 'gpt-5', batch: false, concurrency: 'auto', maxRetries: 6, timeoutMs: 120000, maxCompletionTokens: 4000, topUpAttempts: 3, repair: true },
      execution: 'auto',
      augmentation: { strategies: { paraphrase: 0.4, parameter_variation: 0.3, context: 0.15, multi_turn: 0.15 } },
      judge: { enabled: true, model: 'gpt-5-mini', minScore: 0.8 },
      dedup: { threshold: 0.85, numPerm: 128, bands: 32, shingle: 3 },
      thresholds: { parseRate: 0.98, schemaConformance: 0.95, duplicateRatio: 0.05, judgeScore: 0.8, scenarioTolerance: 0.02, minSamplesPerTool: 1 },
      mix: { maxAugmentedShare: 0.3, real: [], split: { eval: 0.1 } },
      output: { formats: ['hermes'], maxTokens: 8192 },
      budget: { pricing: {} },
      seed: 42,
    });
  });

  it('resolves a full config: servers normalised, ${VAR} expanded, paths absolute', () => {
    const cfg = load(`# yaml-language-server: $schema=../../packages/core/src/config/forge.schema.json
name: weather
description: Weather tools
server:
  - command: node
    args: [dist/server.js, --stdio]
    env: { API_TOKEN: "\${WEATHER_TOKEN}", UNITS: metric }
    cwd: ../../tools/weather
    project: weather-mcp-server
    startupTimeoutMs: 5000
    prefix: wx
  - url: https://\${MCP_HOST}/mcp
    headers: { Authorization: "Bearer \${WEATHER_TOKEN}", X-Region: "\${REGION:-eu}" }
    callTimeoutMs: 1000
tools:
  include: [wx_*]
  exclude: [wx_delete]
  overrides:
    wx_forecast: { execution: live, weight: 2 }
samples: 200
scenarios: { standard: 0.5, no_tool: 0.1, parallel: 0.1, error: 0.1, ambiguous: 0.05, edge: 0.05, multi_turn: 0.1 }
generator:
  provider: openai
  model: gpt-5-nano
  baseURL: http://localhost:8000/v1
  batch: true
  concurrency: 4
  reasoningEffort: low
  temperature: 0.7
  maxRetries: 2
  timeoutMs: 60000
  maxCompletionTokens: 2000
execution: simulated
augmentation: { factor: 3, strategies: { paraphrase: 1, multi_turn: 0 } }
judge: { enabled: false, model: gpt-5, minScore: 0.7 }
dedup: { threshold: 0.9, numPerm: 64, bands: 16, shingle: 2 }
thresholds: { parseRate: 1, schemaConformance: 0.9, duplicateRatio: 0.1, judgeScore: 0.5, scenarioTolerance: 0.05, minSamplesPerTool: 3 }
mix:
  maxAugmentedShare: 0.5
  real: [{ path: data/human.jsonl, weight: 2 }, { path: ../shared/more.jsonl }]
  split: { eval: 0.2 }
output: { formats: [hermes, openai, sharegpt], dir: ../../dist/weather }
budget:
  maxUsd: 5
  pricing: { gpt-5-nano: { input: 0.05, output: 0.4 }, gpt-5: { input: 1.25, cachedInput: 0.125, output: 10 } }
seed: 7
`);
    expect(cfg.name).toBe('weather');
    expect(cfg.description).toBe('Weather tools');
    expect(cfg.servers).toEqual([
      {
        command: 'node',
        args: ['dist/server.js', '--stdio'],
        env: { API_TOKEN: 'tok-123', UNITS: 'metric' },
        cwd: '/ws/tools/weather',
        project: 'weather-mcp-server',
        startupTimeoutMs: 5000,
        callTimeoutMs: 30000,
        prefix: 'wx',
      },
      {
        url: 'https://mcp.example.com/mcp',
        headers: { Authorization: 'Bearer tok-123', 'X-Region': 'eu' },
        startupTimeoutMs: 15000,
        callTimeoutMs: 1000,
      },
    ]);
    expect(cfg.tools).toEqual({ include: ['wx_*'], exclude: ['wx_delete'], overrides: { wx_forecast: { execution: 'live', weight: 2 } }, offer: '3-8' });
    expect(cfg.samples).toBe(200);
    expect(cfg.scenarios.multi_turn).toBe(0.1);
    expect(cfg.generator).toEqual({
      provider: 'openai',
      model: 'gpt-5-nano',
      baseURL: 'http://localhost:8000/v1',
      batch: true,
      concurrency: 4,
      reasoningEffort: 'low',
      temperature: 0.7,
      maxRetries: 2,
      timeoutMs: 60000,
      maxCompletionTokens: 2000,
      topUpAttempts: 3,
      repair: true,
    });
    expect(cfg.execution).toBe('simulated');
    // A given strategy map replaces the default one (no default weights mixed in).
    expect(cfg.augmentation).toEqual({ factor: 3, strategies: { paraphrase: 1, multi_turn: 0 } });
    expect(cfg.judge).toEqual({ enabled: false, model: 'gpt-5', minScore: 0.7 });
    expect(cfg.dedup).toEqual({ threshold: 0.9, numPerm: 64, bands: 16, shingle: 2 });
    expect(cfg.thresholds.minSamplesPerTool).toBe(3);
    expect(cfg.mix).toEqual({
      maxAugmentedShare: 0.5,
      real: [
        { path: '/ws/datasets/demo/data/human.jsonl', weight: 2 },
        { path: '/ws/datasets/shared/more.jsonl' },
      ],
      split: { eval: 0.2 },
    });
    expect(cfg.output).toEqual({ formats: ['hermes', 'openai', 'sharegpt'], dir: '/ws/dist/weather', maxTokens: 8192 });
    expect(cfg.budget).toEqual({
      maxUsd: 5,
      pricing: { 'gpt-5-nano': { input: 0.05, cachedInput: 0.05, output: 0.4 }, 'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 } },
    });
    expect(cfg.seed).toBe(7);
  });

  it('reads JSON configs with the same parser', () => {
    const cfg = parseConfigText('{"$schema": "./forge.schema.json", "server": {"url": "http://localhost:3000/mcp"}, "samples": 5}', '/ws/forge.config.json');
    expect(cfg.servers).toEqual([{ url: 'http://localhost:3000/mcp', headers: {}, startupTimeoutMs: 15000, callTimeoutMs: 30000 }]);
    expect(cfg.samples).toBe(5);
  });

  it('keeps `$${` as a literal and resolves relative file paths from the cwd', () => {
    const cfg = parseConfigText('server:\n  command: sh\n  env: { PRICE: "$${X}" }\n', 'forge.yaml', { env: {} });
    expect(cfg.filepath).toBe(path.resolve('forge.yaml'));
    expect(cfg.servers[0]).toMatchObject({ env: { PRICE: '${X}' } });
  });

  it('does not check paths against a workspace when none is given', () => {
    const cfg = parseConfigText('server: { command: node }\noutput: { dir: ../../../elsewhere }\n', FILE);
    expect(cfg.output.dir).toBe('/elsewhere');
  });
});

/** The full message of the ConfigError the text raises (and a check that it is one). */
function errorOf(text: string, file = FILE): string {
  try {
    parseConfigText(text, file, { workspaceRoot: WS, env: ENV });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

const one = (line: string) => `Invalid config (1 problem):\n${FILE}:${line}`;

describe('parseConfigText: invalid configs name file:line:column, field path and what is expected', () => {
  it.each([
    ['a string where a number goes', 'server: { command: node }\naugmentation:\n  factor: ten\n', '3:11: augmentation.factor: expected a number, got string "ten"'],
    ['a fraction where an integer goes', 'server: { command: node }\ngenerator:\n  concurrency: 2.5\n', '3:16: generator.concurrency: expected an integer or a string, got number 2.5'],
    ['a word other than auto for concurrency', 'server: { command: node }\ngenerator:\n  concurrency: fast\n', '3:16: generator.concurrency: must match ^auto$, got string "fast"'],
    ['a null section', 'server: { command: node }\njudge:\n', '2:7: judge: expected a mapping, got null (an empty value)'],
    ['an unquoted number in env', 'server:\n  command: node\n  env:\n    PORT: 8080\n', '4:11: server.env.PORT: expected a string, got number 8080 (quote it: "8080")'],
    ['a scenario mix that does not sum to 1', 'server: { command: node }\nscenarios:\n  standard: 0.6\n  no_tool: 0.3\n  edge: 0.05\n', '2:1: scenarios: the scenario fractions must sum to 1, got 0.95'],
    ['negative samples', 'server: { command: node }\nsamples: -5\n', '2:10: samples: must be at least 1, got -5'],
    ['zero samples', 'server: { command: node }\nsamples: 0\n', '2:10: samples: must be at least 1, got 0'],
    ['an unknown scenario', 'server: { command: node }\nscenarios:\n  standard: 0.9\n  tool_chain: 0.1\n', '4:3: scenarios.tool_chain: unknown scenario `tool_chain`; scenarios are: standard, no_tool, parallel, error, ambiguous, edge, multi_turn, multiple, parallel_multiple, irrelevance, sequential'],
    ['a misspelt scenario', 'server: { command: node }\nscenarios:\n  standrad: 0.9\n  edge: 0.1\n', '3:3: scenarios.standrad: unknown scenario `standrad`; did you mean `standard`?'],
    ['no server', 'samples: 10\n', '1:1: missing `server`: add the MCP server to build from, e.g. `server: { command: node, args: [server.js] }` (stdio) or `server: { url: http://localhost:3000/mcp }` (HTTP)'],
    ['an empty server', 'server:\n', '1:8: server: expected a mapping (one server) or a list of servers, got null (an empty value)'],
    ['an empty server list', 'server: []\n', '1:9: server: must list at least 1 server'],
    ['both command and url', 'server:\n  command: node\n  url: http://localhost:3000/mcp\n', '3:3: server: use either command (stdio) or url (HTTP), not both'],
    ['both command and url in a list', 'server:\n  - command: node\n  - command: a\n    url: http://x\n', '4:5: server[1]: use either command (stdio) or url (HTTP), not both'],
    ['headers on a stdio server', 'server:\n  command: node\n  headers: { A: b }\n', '3:3: server.headers: `headers` only applies to HTTP servers (with `url`); this server has `command` (stdio)'],
    ['a non-HTTP server url', 'server:\n  url: "ftp://x"\n', '2:8: server.url: expected an http:// or https:// URL, got "ftp://x"'],
    ['a YAML syntax error', 'server:\n  command: node\n samples: 3\n', '3:1: YAML syntax error: All mapping items must start at the same column'],
    ['an unclosed flow mapping', 'server: { command: node\nsamples: 3\n', '2:1: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }'],
    ['several YAML documents', 'server: { command: node }\n---\nseed: 1\n', '2:1: YAML syntax error: the file holds several YAML documents (a `---` line); a forge config is a single document'],
    ['an unknown top-level key', 'server: { command: node }\nsampels: 10\n', '2:1: sampels: unknown key `sampels`; did you mean `samples`?'],
    ['an unknown nested key', 'server: { command: node }\ngenerator:\n  concurency: 4\n', '3:3: generator.concurency: unknown key `concurency`; did you mean `concurrency`?'],
    ['a snake_case key', 'server: { command: node }\ngenerator:\n  max_retries: 4\n', '3:3: generator.max_retries: unknown key `max_retries`; did you mean `maxRetries`?'],
    ['a misspelt server key', 'server:\n  - comand: node\n', '2:5: server[0].comand: unknown key `comand`; did you mean `command`?'],
    ['an unknown key with nothing close', 'server: { command: node }\nfoo: 1\n', '2:1: foo: unknown key `foo`; allowed keys here are: name, description, server, tools, samples, scenarios, generator, execution, augmentation, judge, dedup, thresholds, mix, output, budget, seed'],
    ['a bad enum value', 'server: { command: node }\nexecution: fast\n', '2:12: execution: must be one of: auto, live, simulated; got string "fast"'],
    ['a misspelt enum value', 'server: { command: node }\ngenerator: { provider: ofline }\n', '2:24: generator.provider: must be one of: auto, openai, offline; got string "ofline", did you mean `offline`?'],
    ['bands that do not divide numPerm', 'server: { command: node }\ndedup: { numPerm: 128, bands: 30 }\n', '2:31: dedup.bands: must divide dedup.numPerm (128) evenly, got 30; try 16 or 32'],
    ['a numPerm the default bands do not divide', 'server: { command: node }\ndedup: { numPerm: 100 }\n', '2:19: dedup.numPerm: must be a multiple of dedup.bands (32), got 100; try 96 or 128'],
    ['augmentation below 1', 'server: { command: node }\naugmentation: { factor: 0.5 }\n', '2:25: augmentation.factor: must be at least 1, got 0.5'],
    ['augmentation with every strategy off', 'server: { command: node }\naugmentation: { strategies: { paraphrase: 0 } }\n', '2:17: augmentation.strategies: at least one strategy needs a weight above 0 when augmenting (factor is unset: the pool is sized by mix.maxAugmentedShare; set factor: 1 for none)'],
    ['an empty file', '', '1:1: the config is empty; it needs at least a `server` (a `command` to start or a `url` to connect to)'],
    ['a file of comments only', '# todo\n', '1:1: the config is empty; it needs at least a `server` (a `command` to start or a `url` to connect to)'],
    ['a top level that is a list', '- server: x\n', '1:1: expected a mapping of settings (key: value) at the top level, got a list'],
    ['a duplicate key', 'server: { command: node }\nsamples: 3\nseed: 1\nsamples: 4\n', '4:1: samples: duplicate key `samples` (first set on line 2); keep only one'],
    ['output.dir outside the workspace', 'server: { command: node }\noutput:\n  dir: ../../../out\n', '3:8: output.dir: resolves to /out, outside the workspace /ws; use a path inside the workspace'],
    ['a real data file outside the workspace', 'server: { command: node }\nmix:\n  real:\n    - path: /etc/passwd\n', '4:13: mix.real[0].path: resolves to /etc/passwd, outside the workspace /ws; use a path inside the workspace'],
    ['a missing env var in ${VAR}', 'server:\n  url: https://x/mcp\n  headers:\n    Authorization: Bearer ${NOPE_TOKEN}\n', '4:20: server.headers.Authorization: environment variable NOPE_TOKEN is not set; export it before running, or write ${NOPE_TOKEN:-default}'],
    ['an invalid ${...} reference', 'server:\n  command: x\n  env: { A: "${1BAD}" }\n', '3:13: server.env.A: has an invalid variable reference `${1BAD}`; names are letters, digits and _ (e.g. ${API_TOKEN})'],
    ['pricing without output', 'server: { command: node }\nbudget: { pricing: { "gpt-4.1": { input: 1 } } }\n', '2:33: budget.pricing["gpt-4.1"]: missing required key `output`'],
    ['a base URL that is not a URL', 'server: { command: node }\ngenerator: { baseURL: localhost }\n', '2:23: generator.baseURL: expected a URL like https://api.example.com/v1, got string "localhost"'],
  ])('%s', (_what, text, expected) => {
    expect(errorOf(text)).toBe(one(expected));
  });

  it('reports every problem at once, in file order, with a summary count', () => {
    const text = 'server: { command: node }\nsamples: many\nseed: -1\noutput: { formats: [hermes, hermes, csv] }\n';
    expect(errorOf(text)).toBe(
      [
        'Invalid config (4 problems):',
        `${FILE}:2:10: samples: expected an integer, got string "many"`,
        `${FILE}:3:7: seed: must be at least 0, got -1`,
        `${FILE}:4:20: output.formats: lists "hermes" twice; keep it once`,
        `${FILE}:4:37: output.formats[2]: must be one of: hermes, openai, sharegpt, hf; got string "csv"`,
      ].join('\n'),
    );
  });

  it('positions errors in JSON configs too', () => {
    const file = '/ws/forge.config.json';
    expect(errorOf('{\n  "server": {"command": "node"},\n  "samples": "ten"\n}\n', file)).toBe(
      `Invalid config (1 problem):\n${file}:3:14: samples: expected an integer, got string "ten"`,
    );
  });

  it('exposes the issues as data and names the schema in the hint', () => {
    let error: ConfigError | undefined;
    try {
      load('server: { command: node }\nseed: x\n');
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error?.issues).toEqual([{ path: 'seed', line: 2, column: 7, message: 'expected an integer, got string "x"' }]);
    expect(error?.code).toBe('CONFIG');
    expect(error?.hint).toContain('forge.schema.json');
  });

  it('never puts the value of a ${VAR} into a message', () => {
    const message = errorOf('server:\n  url: "${WEATHER_TOKEN}"\n');
    expect(message).toBe(one('2:8: server.url: expected an http:// or https:// URL, got "${WEATHER_TOKEN}"'));
    expect(message).not.toContain(ENV.WEATHER_TOKEN);
  });

  it('accepts x- extension keys holding YAML anchors, and drops them', () => {
    const cfg = load('x-base: &srv { command: node, args: [a.js] }\nserver: *srv\n');
    expect(cfg.servers[0]).toMatchObject({ command: 'node', args: ['a.js'] });
    expect(cfg).not.toHaveProperty('x-base');
  });
});

describe('parseConfigText: a server with neither transport', () => {
  it('says what is needed when no key looks like a typo of command or url', () => {
    expect(errorOf('server:\n  args: [a.js]\n')).toBe(one('1:1: server: needs `command` (to start a stdio server) or `url` (to connect over HTTP)'));
  });
});

describe('parseConfigText with expandEnv: false', () => {
  it('keeps ${VAR} references as written and needs no environment', () => {
    const text = 'server:\n  url: "https://${MCP_HOST}/mcp"\n  headers: { Authorization: "Bearer ${NOPE_TOKEN}" }\n  project: remote-server\n';
    const cfg = parseConfigText(text, FILE, { env: {}, expandEnv: false });
    expect(cfg.servers[0]).toMatchObject({ url: 'https://${MCP_HOST}/mcp', headers: { Authorization: 'Bearer ${NOPE_TOKEN}' }, project: 'remote-server' });
    expect(() => parseConfigText(text, FILE, { env: {} })).toThrow('environment variable MCP_HOST is not set');
  });
});
