// The forge.yaml JSON Schema, compiled once, and ajv's errors rewritten as messages for people:
// "expected a number, got string "ten"", "must be one of: auto, live, simulated", "unknown key
// `sampels`; did you mean `samples`?".
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import forgeSchemaJson from './forge.schema.json';
import { closestKey } from './suggest';
import { describeValue, type PathIssue, type PathSegment } from './yaml-source';

export type SchemaNode = Record<string, unknown>;

export const forgeSchema = forgeSchemaJson as unknown as SchemaNode;

/** Absolute path of forge.schema.json (for `# yaml-language-server: $schema=...` lines and docs). */
export const FORGE_SCHEMA_PATH = path.join(__dirname, 'forge.schema.json');

const SCHEMA_ID = forgeSchema.$id as string;

/** Maps whose keys are a closed set of names, so an unknown key reads as "unknown scenario" etc. */
const KEY_NOUNS: Record<string, string> = {
  scenarios: 'scenario',
  'augmentation.strategies': 'strategy',
};

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/** Validator for the whole file (`''`) or a definition such as `stdioServer`. */
export function validatorFor(definition = ''): ValidateFunction {
  const hit = validators.get(definition);
  if (hit) return hit;
  if (!ajv) {
    // verbose: errors carry their schema, which lists the allowed keys for "did you mean".
    ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    ajv.addSchema(forgeSchema);
  }
  const ref = definition ? `${SCHEMA_ID}#/definitions/${definition}` : SCHEMA_ID;
  const fn = ajv.getSchema(ref);
  if (!fn) throw new Error(`forge.schema.json has no definition ${definition}`);
  validators.set(definition, fn);
  return fn;
}

/** Run a validator and turn its errors into positioned issues under `base`. */
export function schemaIssues(validate: ValidateFunction, data: unknown, base: PathSegment[] = []): PathIssue[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => toIssue(e, data, base));
}

function toIssue(e: ErrorObject, root: unknown, base: PathSegment[]): PathIssue {
  const at = [...base, ...pointerToPath(e.instancePath, root)];
  const value = e.data;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(((e.parentSchema as SchemaNode | undefined)?.properties as SchemaNode | undefined) ?? {}).filter((k) => k !== '$schema');
      return { at: [...at, key], on: 'key', message: unknownKeyMessage(key, allowed, KEY_NOUNS[dotted(at)]) };
    }
    case 'type':
      return { at, message: typeMessage(String(params.type), value) };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const guess = typeof value === 'string' ? closestKey(value, allowed) : undefined;
      return { at, message: `must be one of: ${allowed.join(', ')}; got ${describeValue(value)}${guess ? `, did you mean \`${guess}\`?` : ''}` };
    }
    case 'minimum':
      return { at, message: `must be at least ${params.limit}, got ${String(value)}` };
    case 'maximum':
      return { at, message: `must be at most ${params.limit}, got ${String(value)}` };
    case 'exclusiveMinimum':
      return { at, message: `must be greater than ${params.limit}, got ${String(value)}` };
    case 'exclusiveMaximum':
      return { at, message: `must be less than ${params.limit}, got ${String(value)}` };
    case 'minLength':
      return { at, message: 'must not be empty' };
    case 'minItems':
      return { at, message: `must list at least ${params.limit} item${params.limit === 1 ? '' : 's'}` };
    case 'uniqueItems':
      return { at, message: `lists ${JSON.stringify((value as unknown[])[params.j as number])} twice; keep it once` };
    case 'pattern':
      if (dotted(at) === 'name') return { at, message: `must be a plain name without \`/\` or \`\\\` (and not . or ..): it names the default output folder dist/datasets/<name> and goes into every sample id; got ${describeValue(value)}` };
      return { at, message: `must match ${params.pattern}, got ${describeValue(value)}` };
    case 'format':
      return { at, message: params.format === 'uri' ? `expected a URL like https://api.example.com/v1, got ${describeValue(value)}` : `must be a valid ${params.format}, got ${describeValue(value)}` };
    case 'required':
      return { at, message: `missing required key \`${params.missingProperty}\`` };
    default:
      return { at, message: e.message ?? 'is invalid' };
  }
}

export function unknownKeyMessage(key: string, allowed: string[], noun?: string): string {
  const guess = closestKey(key, allowed);
  const what = noun ?? 'key';
  if (guess) return `unknown ${what} \`${key}\`; did you mean \`${guess}\`?`;
  return `unknown ${what} \`${key}\`; ${noun ? `${noun}s are` : 'allowed keys here are'}: ${allowed.join(', ')}`;
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  integer: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
};

export function typeMessage(expected: string, value: unknown): string {
  const names = expected.split(',').map((t) => TYPE_NAMES[t] ?? t);
  const base = `expected ${names.join(' or ')}, got ${describeValue(value)}`;
  // YAML reads `8080` and `true` as a number and a boolean; strings must be quoted.
  if (expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return `${base} (quote it: "${String(value)}")`;
  return base;
}

function pointerToPath(pointer: string, root: unknown): PathSegment[] {
  if (!pointer) return [];
  const out: PathSegment[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      out.push(Number(seg));
      node = node[Number(seg)];
    } else {
      out.push(seg);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

function dotted(at: PathSegment[]): string {
  return at.join('.');
}
