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
      name: 'demo',
      servers: [{ command: 'node', args: [], env: {}, cwd: '/ws/datasets/demo', startupTimeoutMs: 15000, callTimeoutMs: 30000 }],
      tools: { exclude: [], overrides: {} },
      samples: 50,
      scenarios: { standard: 0.55, no_tool: 0.15, parallel: 0.1, error: 0.1, ambiguous: 0.05, edge: 0.05 },
      generator: { provider: 'auto', model: 'gpt-5', batch: false, concurrency: 8, maxRetries: 6, timeoutMs: 120000, maxCompletionTokens: 4000 },
      execution: 'auto',
      augmentation: { factor: 10, strategies: { paraphrase: 0.4, parameter_variation: 0.3, context: 0.15, multi_turn: 0.15 } },
      judge: { enabled: true, model: 'gpt-5-mini', minScore: 0.8 },
      dedup: { threshold: 0.85, numPerm: 128, bands: 32, shingle: 3 },
      thresholds: { parseRate: 0.98, schemaConformance: 0.95, duplicateRatio: 0.05, judgeScore: 0.8, scenarioTolerance: 0.02, minSamplesPerTool: 1 },
      mix: { maxAugmentedShare: 0.3, real: [], split: { eval: 0.1 } },
      output: { formats: ['hermes'] },
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
    expect(cfg.tools).toEqual({ include: ['wx_*'], exclude: ['wx_delete'], overrides: { wx_forecast: { execution: 'live', weight: 2 } } });
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
    expect(cfg.output).toEqual({ formats: ['hermes', 'openai', 'sharegpt'], dir: '/ws/dist/weather' });
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
