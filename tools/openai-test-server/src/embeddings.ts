// Embeddings: deterministic feature-hashed vectors, so texts that share words get similar vectors
// (useful for semantic dedup tests). Honours `dimensions` and `encoding_format: base64`.
import { ApiError, invalidRequest, invalidType, missingParameter, modelNotFound } from './errors';
import { resolveModel } from './models';
import { estimateTokens } from './prompt-cache';
import { hash32 } from './rng';

export interface EmbeddingResponse {
  object: 'list';
  data: { object: 'embedding'; index: number; embedding: number[] | string }[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

const MAX_INPUTS = 2048;

function features(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const out = [...words];
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]} ${words[i + 1]}`);
  return out.length ? out : [text];
}

export function embed(text: string, dimensions: number): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const f of features(text)) {
    const h = hash32('emb', f);
    v[h % dimensions] += h & 0x80000000 ? -1 : 1;
    const h2 = hash32('emb2', f);
    v[h2 % dimensions] += (h2 & 0x80000000 ? -1 : 1) * 0.5;
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

function inputTexts(input: unknown): string[] {
  if (input === undefined || input === null) throw missingParameter('input');
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input)) throw invalidType('input', 'one of a string or array', input);
  if (input.every((x) => typeof x === 'number')) return [input.join(' ')];
  return input.map((x) => {
    if (typeof x === 'string') return x;
    if (Array.isArray(x) && x.every((t) => typeof t === 'number')) return x.join(' ');
    throw invalidRequest("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.");
  });
}

export function createEmbeddings(raw: unknown): EmbeddingResponse {
  if (!raw || typeof raw !== 'object') throw invalidType('body', 'an object', raw);
  const body = raw as Record<string, unknown>;
  if (typeof body.model !== 'string') throw invalidRequest('you must provide a model parameter');
  const model = resolveModel(body.model);
  if (!model) throw modelNotFound(body.model);
  if (model.kind !== 'embedding') throw new ApiError(400, `The model \`${body.model}\` does not support embeddings.`, 'invalid_request_error', 'model');
  const texts = inputTexts(body.input);
  if (texts.length === 0 || texts.some((t) => t.length === 0)) {
    throw invalidRequest("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.");
  }
  if (texts.length > MAX_INPUTS) {
    throw invalidRequest(`Invalid 'input': array too long. Expected an array with maximum length ${MAX_INPUTS}, but got an array with length ${texts.length} instead.`, 'input', 'array_above_max_length');
  }
  let dims = model.dimensions!;
  if (body.dimensions !== undefined) {
    if (model.id === 'text-embedding-ada-002') throw invalidRequest('This model does not support specifying dimensions.', 'dimensions');
    if (typeof body.dimensions !== 'number' || !Number.isInteger(body.dimensions) || body.dimensions < 1 || body.dimensions > dims) {
      throw invalidRequest(`Invalid 'dimensions': expected an integer between 1 and ${dims}.`, 'dimensions', 'invalid_value');
    }
    dims = body.dimensions;
  }
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    throw invalidRequest(`Invalid value: '${String(format)}'. Supported values are: 'float' and 'base64'.`, 'encoding_format', 'invalid_value');
  }
  const tokens = texts.reduce((n, t) => n + estimateTokens(t), 0);
  return {
    object: 'list',
    data: texts.map((t, index) => {
      const vector = embed(t, dims);
      const embedding = format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    }),
    model: model.dated,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
