// Everything report.html, report.md and the dataset card show. The synthesize stage fills it from
// the stage outputs (plan, usage.json, qc.json, the written files); the renderers only format it.
import type { OutputFormat, ResolvedProvider } from '../config/types';
import type { Usage } from '../types';
import type { TokenStats } from '../formats/tokens';

export type { TokenStats };

/** One stage's usage (the pipeline's Usage; reasoning tokens are part of completion tokens). */
export interface StageUsage extends Omit<Usage, 'cacheHits'> {
  stage: string;
  cacheHits?: number;
}

export interface ScenarioMixRow {
  scenario: string;
  /** Target share from forge.yaml, 0..1. */
  target: number;
  /** Rows of this scenario in the final dataset. */
  actual: number;
}

export interface ToolCount {
  tool: string;
  samples: number;
}

export interface RejectionCount {
  reason: string;
  count: number;
}

export interface HistogramBin {
  /** Inclusive lower edge. */
  from: number;
  /** Exclusive upper edge (inclusive for the last bin). */
  to: number;
  count: number;
}

export interface QcMetric {
  metric: string;
  value: number;
  threshold: number;
  /** How value must compare with threshold to pass. */
  comparator: '>=' | '>' | '<=' | '<';
  pass: boolean;
}

export interface SplitFile {
  format: OutputFormat;
  split: 'train' | 'eval';
  /** Relative to the output dir (formatFilePaths). */
  path: string;
  /** Lines in the file. */
  rows: number;
}

export interface ReportCounts {
  seeds: number;
  augmented: number;
  accepted: number;
  rejected: number;
  real: number;
  train: number;
  eval: number;
  /** Augmented rows over `mix.maxAugmentedShare`, dropped at assembly. */
  droppedAugmented?: number;
  /** The written files with their line counts. */
  files: SplitFile[];
}

export interface ConfigSummary {
  samples: number;
  seed: number;
  execution: string;
  augmentationFactor: number;
  strategies?: Record<string, number>;
  dedupThreshold: number;
  maxAugmentedShare: number;
  evalShare: number;
  formats: OutputFormat[];
  batch?: boolean;
  reasoningEffort?: string;
  budgetUsd?: number;
}

export interface ReportData {
  datasetName: string;
  description?: string;
  /** ISO time of the build; leave out for byte-identical reports. */
  generatedAt?: string;
  provider: ResolvedProvider;
  model: string;
  judge: {
    enabled: boolean;
    model?: string;
    minScore: number;
    /** Raw scores 0..1 (binned by the renderers), or bins already made. */
    scores?: number[];
    bins?: HistogramBin[];
  };
  /** Server labels (command line or URL; never headers or env values). */
  servers: string[];
  config: ConfigSummary;
  scenarioMix: ScenarioMixRow[];
  samplesPerTool: ToolCount[];
  counts: ReportCounts;
  rejections: RejectionCount[];
  usage: StageUsage[];
  qc: QcMetric[];
  /** Wall-clock time of the build (differs between runs: the card leaves it out). */
  timing?: { totalMs: number; stages?: { stage: string; ms: number }[] };
  warnings?: string[];
  /** What the final set cost: rows QC saw, rows kept, model cost and requests per kept row (absent in older reports). */
  yield?: { rowsBeforeQc: number; finalRows: number; usdPerFinalRow: number; requestsPerFinalRow: number };
  /** Row lengths in tokens (formats/tokens.ts) and the rows dropped over `output.maxTokens`. */
  tokens?: TokenStats;
}
