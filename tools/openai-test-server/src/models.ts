// The models this server knows, their dated snapshots and which request parameters each accepts.

export type ModelKind = 'reasoning' | 'chat' | 'embedding';

export interface ModelInfo {
  /** Alias clients send, e.g. `gpt-5-mini`. */
  id: string;
  /** Snapshot reported back in `model`, e.g. `gpt-5-mini-2025-08-07`. */
  dated: string;
  kind: ModelKind;
  /** Accepted `reasoning_effort` values (reasoning models only). */
  efforts?: string[];
  /** Native embedding size (embedding models only). */
  dimensions?: number;
  created: number;
}

const GPT5_EFFORTS = ['minimal', 'low', 'medium', 'high'];

export const MODELS: ModelInfo[] = [
  { id: 'gpt-5', dated: 'gpt-5-2025-08-07', kind: 'reasoning', efforts: GPT5_EFFORTS, created: 1754425777 },
  { id: 'gpt-5-mini', dated: 'gpt-5-mini-2025-08-07', kind: 'reasoning', efforts: GPT5_EFFORTS, created: 1754425867 },
  { id: 'gpt-5-nano', dated: 'gpt-5-nano-2025-08-07', kind: 'reasoning', efforts: GPT5_EFFORTS, created: 1754426384 },
  // A non-reasoning chat model despite its name: it accepts sampling parameters.
  { id: 'gpt-5-chat-latest', dated: 'gpt-5-chat-latest', kind: 'chat', created: 1754073306 },
  { id: 'gpt-4.1', dated: 'gpt-4.1-2025-04-14', kind: 'chat', created: 1744316542 },
  { id: 'gpt-4.1-mini', dated: 'gpt-4.1-mini-2025-04-14', kind: 'chat', created: 1744318173 },
  { id: 'gpt-4.1-nano', dated: 'gpt-4.1-nano-2025-04-14', kind: 'chat', created: 1744321707 },
  { id: 'gpt-4o', dated: 'gpt-4o-2024-08-06', kind: 'chat', created: 1715367049 },
  { id: 'gpt-4o-mini', dated: 'gpt-4o-mini-2024-07-18', kind: 'chat', created: 1721172741 },
  { id: 'text-embedding-3-small', dated: 'text-embedding-3-small', kind: 'embedding', dimensions: 1536, created: 1705948997 },
  { id: 'text-embedding-3-large', dated: 'text-embedding-3-large', kind: 'embedding', dimensions: 3072, created: 1705953180 },
  { id: 'text-embedding-ada-002', dated: 'text-embedding-ada-002', kind: 'embedding', dimensions: 1536, created: 1671217299 },
];

const BY_NAME = new Map<string, ModelInfo>();
for (const m of MODELS) {
  BY_NAME.set(m.id, m);
  BY_NAME.set(m.dated, m);
}
// Older snapshots that are still served.
BY_NAME.set('gpt-4o-2024-05-13', BY_NAME.get('gpt-4o')!);
BY_NAME.set('gpt-4o-2024-11-20', BY_NAME.get('gpt-4o')!);

/** The model for an alias or a dated snapshot name; undefined when unknown. */
export function resolveModel(name: string): ModelInfo | undefined {
  return BY_NAME.get(name);
}

/** What to report back in `model`: the dated snapshot for an alias, the name itself when already dated. */
export function reportedModelName(requested: string, info: ModelInfo): string {
  return requested === info.id ? info.dated : requested;
}
