// JSON Schema validation of tool arguments and results with ajv, against the ORIGINAL MCP schemas.
// MCP servers ship draft-07 and 2020-12 schemas (and some non-standard keywords), so validation is
// lenient about unknown keywords and formats but exact about data.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { JsonSchema } from '../types';
import { canonicalJson } from '../util/hash';

export interface ValidationResult {
  valid: boolean;
  /** Readable messages: `/path must be ...`. */
  errors: string[];
}

export type Validator = (data: unknown) => ValidationResult;

const options = { strict: false, allErrors: true, validateSchema: false, validateFormats: true, allowUnionTypes: true } as const;
let draft07: Ajv | undefined;
let draft2020: Ajv2020 | undefined;
const compiled = new Map<string, Validator>();
// Schemas are mostly the same objects again and again (the lock file's): skip re-hashing them.
const byObject = new WeakMap<object, Validator>();

function ajvFor(schema: JsonSchema): Ajv | Ajv2020 {
  const dialect = typeof schema === 'object' && schema ? String((schema as Record<string, unknown>).$schema ?? '') : '';
  if (dialect.includes('2020-12') || dialect.includes('2019-09')) {
    if (!draft2020) {
      draft2020 = new Ajv2020(options);
      addFormats(draft2020);
    }
    return draft2020;
  }
  if (!draft07) {
    draft07 = new Ajv(options);
    addFormats(draft07);
  }
  return draft07;
}

export function formatAjvErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const where = e.instancePath || '(root)';
    if (e.keyword === 'additionalProperties') return `${where} has unknown property '${(e.params as { additionalProperty: string }).additionalProperty}'`;
    if (e.keyword === 'enum') return `${where} must be one of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
    if (e.keyword === 'required') return `${where} is missing required property '${(e.params as { missingProperty: string }).missingProperty}'`;
    return `${where} ${e.message ?? 'is invalid'}`;
  });
}

/** A compiled validator for a schema (compiled once per distinct schema). Throws when the schema itself cannot compile. */
export function compileValidator(schema: JsonSchema): Validator {
  const known = typeof schema === 'object' && schema ? byObject.get(schema) : undefined;
  if (known) return known;
  const key = canonicalJson(schema);
  const hit = compiled.get(key);
  if (hit) {
    if (typeof schema === 'object' && schema) byObject.set(schema, hit);
    return hit;
  }
  const ajv = ajvFor(schema);
  const { $schema: _dialect, $id: _id, ...rest } = (typeof schema === 'object' ? schema : {}) as Record<string, unknown>;
  const fn: ValidateFunction = ajv.compile(typeof schema === 'boolean' ? schema : rest);
  const validator: Validator = (data) => {
    const valid = fn(data) as boolean;
    return { valid, errors: valid ? [] : formatAjvErrors(fn.errors) };
  };
  compiled.set(key, validator);
  if (typeof schema === 'object' && schema) byObject.set(schema, validator);
  return validator;
}

/** Validate, turning a schema that cannot compile into a validation error instead of a throw. */
export function validateAgainst(schema: JsonSchema, data: unknown): ValidationResult {
  let validator: Validator;
  try {
    validator = compileValidator(schema);
  } catch (err) {
    return { valid: false, errors: [`schema cannot be compiled: ${(err as Error).message}`] };
  }
  return validator(data);
}
