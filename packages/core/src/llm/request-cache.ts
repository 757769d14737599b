// The request cache: every model response is stored on disk under a content hash of the request that
// produced it, so a rebuild with nothing changed makes zero requests, and a build killed halfway
// repeats none of the requests that had completed. cacache writes atomically (content first, then the
// index entry), so a killed process loses at most the requests still in flight.
//
// The key is the canonical request body (model, messages, tools, response_format, params) plus the
// provider name and the endpoint. Never the API key or any header: the cache can be shared and moved.
import { join } from 'node:path';
import { canonicalJson, sha256 } from '../util/hash';

/** The part of cacache 20 used here (get / put / get.info; `verify` and `ls` need an ESM import). */
interface CacacheApi {
  get(cache: string, key: string): Promise<{ data: Buffer; metadata?: unknown }>;
  put(cache: string, key: string, data: string | Buffer, opts?: { metadata?: unknown }): Promise<string>;
}
interface CacacheInfo {
  info(cache: string, key: string): Promise<{ key: string; time: number; metadata?: unknown } | null>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cacache = require('cacache') as CacacheApi & { get: CacacheApi['get'] & CacacheInfo };

export interface RequestKeyParts {
  provider: string;
  /** Endpoint base URL ('' for the default OpenAI endpoint). */
  baseURL: string;
  /** The request body exactly as it is sent (JSON). */
  body: unknown;
}

/** Content address of a request: sha256 of its canonical JSON (object keys sorted). */
export function requestKey(parts: RequestKeyParts): string {
  return sha256(canonicalJson({ v: 1, provider: parts.provider, baseURL: parts.baseURL.replace(/\/+$/, ''), body: parts.body }));
}

/** `FORGE_CACHE_DIR`, else `<root>/.forge/cache`. */
export function cacheDirFor(root: string, env: NodeJS.ProcessEnv): string {
  return env.FORGE_CACHE_DIR ? env.FORGE_CACHE_DIR : join(root, '.forge', 'cache');
}

export class RequestCache {
  /** Directory of the cacache store (locks and batch state live beside it, in `dir`). */
  readonly store: string;

  constructor(readonly dir: string) {
    this.store = join(dir, 'requests');
  }

  async has(key: string): Promise<boolean> {
    return (await cacache.get.info(this.store, key)) !== null;
  }

  /** The stored response, or undefined (a corrupt entry counts as a miss and is overwritten later). */
  async get<T = unknown>(key: string): Promise<T | undefined> {
    if (!(await this.has(key))) return undefined;
    try {
      const { data } = await cacache.get(this.store, key);
      return JSON.parse(data.toString('utf8')) as T;
    } catch {
      return undefined;
    }
  }

  async put(key: string, value: unknown, metadata?: Record<string, unknown>): Promise<void> {
    await cacache.put(this.store, key, JSON.stringify(value), { metadata });
  }
}
