// A ReportData with awkward text in it (markup, quotes, pipes), shared by the report tests.
import type { ReportData } from './types';

export function reportFixture(over: Partial<ReportData> = {}): ReportData {
  return {
    datasetName: 'weather <script>alert(1)</script> "ds"',
    description: 'Weather tools | with pipes & ampersands',
    provider: 'offline',
    model: 'offline',
    judge: { enabled: true, model: 'rule-based', minScore: 0.8, scores: [0.95, 0.85, 0.81, 1, 0.4, 0.79, 0.99] },
    servers: ['node tools/weather-mcp-server/bin/server.js --token=<redacted>'],
    config: {
      samples: 100,
      seed: 42,
      execution: 'auto',
      augmentationFactor: 10,
      strategies: { paraphrase: 0.5, parameter_variation: 0.5 },
      dedupThreshold: 0.85,
      maxAugmentedShare: 0.3,
      evalShare: 0.1,
      formats: ['hermes', 'openai', 'sharegpt'],
    },
    scenarioMix: [
      { scenario: 'standard', target: 0.55, actual: 700 },
      { scenario: 'no_tool', target: 0.15, actual: 190 },
      { scenario: 'parallel', target: 0.1, actual: 120 },
      { scenario: 'error', target: 0.1, actual: 130 },
      { scenario: 'ambiguous', target: 0.05, actual: 60 },
      { scenario: 'edge', target: 0.05, actual: 65 },
    ],
    samplesPerTool: [
      { tool: 'get_forecast', samples: 500 },
      { tool: 'get_alerts<img src=x>', samples: 400 },
      { tool: 'geocode', samples: 365 },
    ],
    counts: {
      seeds: 100,
      augmented: 1000,
      accepted: 1265,
      rejected: 40,
      real: 0,
      train: 1139,
      eval: 126,
      droppedAugmented: 35,
      files: [
        { format: 'hermes', split: 'train', path: 'hermes/train.jsonl', rows: 1139 },
        { format: 'hermes', split: 'eval', path: 'hermes/eval.jsonl', rows: 126 },
        { format: 'openai', split: 'train', path: 'openai/train.jsonl', rows: 1139 },
        { format: 'openai', split: 'eval', path: 'openai/eval.jsonl', rows: 126 },
        { format: 'sharegpt', split: 'train', path: 'sharegpt/train.jsonl', rows: 1139 },
        { format: 'sharegpt', split: 'eval', path: 'sharegpt/eval.jsonl', rows: 126 },
      ],
    },
    rejections: [
      { reason: 'schema: /days must be <= 10', count: 25 },
      { reason: 'duplicate of "s-12"', count: 15 },
    ],
    usage: [
      { stage: 'generate', requests: 400, promptTokens: 800000, cachedTokens: 600000, completionTokens: 90000, reasoningTokens: 40000, usd: 1.234, cacheHits: 0 },
      { stage: 'augment', requests: 1000, promptTokens: 500000, cachedTokens: 100000, completionTokens: 60000, reasoningTokens: 0, usd: 0.5, cacheHits: 12 },
      { stage: 'qc', requests: 1300, promptTokens: 900000, cachedTokens: 850000, completionTokens: 30000, reasoningTokens: 10000, usd: 0.2 },
    ],
    qc: [
      { metric: 'parseRate', value: 0.997, threshold: 0.98, comparator: '>=', pass: true },
      { metric: 'schemaConformance', value: 0.97, threshold: 0.95, comparator: '>=', pass: true },
      { metric: 'duplicateRatio', value: 0.012, threshold: 0.05, comparator: '<', pass: true },
      { metric: 'judgeScore', value: 0.86, threshold: 0.8, comparator: '>=', pass: true },
    ],
    timing: { totalMs: 125000, stages: [{ stage: 'generate', ms: 90000 }] },
    tokens: { tokenizer: 'o200k_base (npm gpt-tokenizer 4.0.0)', rows: 1265, min: 812, median: 1630, p95: 2950, max: 3790, toolsShare: 0.612, maxTokens: 4096, dropped: 7, longestDropped: 5120 },
    ...over,
  };
}
