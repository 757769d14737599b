// ajv validators for the schemas clients send, compiled once per distinct schema.
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { canonicalJson, sha256Hex } from './rng';

const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
addFormats(ajv);

const cache = new Map<string, ValidateFunction | null>();
const MAX_CACHED = 2000;

/** A validator for `schema`, or null when ajv cannot compile it (then values go unchecked). */
export function schemaValidator(schema: unknown): ValidateFunction | null {
  if (schema === undefined || schema === null) return null;
  const key = sha256Hex(canonicalJson(schema));
  if (cache.has(key)) return cache.get(key)!;
  let fn: ValidateFunction | null;
  try {
    // `$schema`/`$id` would make ajv look for a meta-schema or clash between identical ids.
    const { $schema: _s, $id: _i, ...rest } = schema as Record<string, unknown>;
    fn = ajv.compile(typeof schema === 'object' ? rest : schema);
  } catch {
    fn = null;
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(key, fn);
  return fn;
}
