// Real MCP servers ship schemas that ajv refuses or that do not describe an arguments object:
// Python-style type names (`"type": "dict"`), OpenAPI's `nullable`, draft-04 boolean exclusive bounds,
// `required: true` on a property, references to nowhere, roots that are a bare `$schema` or a string.
// normalizeSchema turns such a schema into standard JSON Schema with an object root, and says what it
// changed (one warning per change, naming the tool and the JSON pointer). The normalized schema is
// THE schema of the tool from then on: arguments are validated against it, strictify starts from it.
//
// Non-object roots. MCP sends tool arguments as a JSON object, and every generator (OpenAI function
// calling, our samplers) produces an object. A root like `{"type": "string"}` is therefore wrapped for
// generation as `{type: object, properties: {input: <root>}, required: [input]}`, and `wrapped: true`
// is reported. The wrapper is undone with `unwrapArguments(args, info)` BEFORE the arguments are
// validated against the tool's own schema, written into a sample, or sent to the server in
// `tools/call`: `{input: X}` becomes `X`, the value the tool declared it takes. (`wrapArguments` is the
// inverse, for a caller that holds a bare value and must show it to a model that saw the wrapper.)
import type { JsonSchema } from '../types';
import { compileValidator } from './validator';
import { RefContext } from './refs';
import { escapePointer, isObject, mapSubschemas, showPath, type SchemaObject, typesOf } from './walk';

export const WRAPPER_KEY = 'input';

export interface NormalizeInfo {
  /** True when a non-object root was wrapped as `{input: <root>}` for generation. */
  wrapped: boolean;
}

export interface NormalizedSchema extends NormalizeInfo {
  schema: SchemaObject;
  warnings: string[];
}

const TYPE_ALIASES: Record<string, string | null> = {
  object: 'object', dict: 'object', map: 'object', hash: 'object', record: 'object',
  array: 'array', list: 'array', tuple: 'array', set: 'array',
  string: 'string', str: 'string', text: 'string',
  number: 'number', float: 'number', double: 'number', decimal: 'number',
  integer: 'integer', int: 'integer', long: 'integer',
  boolean: 'boolean', bool: 'boolean',
  null: 'null', none: 'null',
  any: null, // no type: any value
};

const OBJECT_KEYWORDS = ['properties', 'required', 'additionalProperties', 'patternProperties', 'propertyNames', 'minProperties', 'maxProperties'];
const BARE_ROOT_KEYS = new Set(['$schema', '$id', '$comment', 'title', 'description', '$defs', 'definitions']);

export function normalizeSchema(schema: unknown, toolName: string): NormalizedSchema {
  const warnings: string[] = [];
  const warn = (path: string, message: string) => warnings.push(`tool '${toolName}': ${showPath(path)}: ${message}`);
  const refs = new RefContext(isObject(schema) || typeof schema === 'boolean' ? schema : {});
  const dialect = isObject(schema) && typeof schema.$schema === 'string' ? schema.$schema : '';
  const is2020 = /2020-12|2019-09/.test(dialect);

  const fixNode = (node: unknown, path: string): unknown => {
    if (typeof node === 'boolean') return node;
    if (!isObject(node)) {
      warn(path, `is not a schema (${JSON.stringify(node)}); read as "any value"`);
      return {};
    }
    const out = mapSubschemas(node, path, fixNode);
    fixType(out, path, warn);
    fixKeywords(out, path, warn, refs, is2020);
    return out;
  };

  let root = fixNode(schema ?? {}, '') as JsonSchema;
  let wrapped = false;
  if (!isObject(root) || isBareRoot(root)) {
    warn('', 'has no parameters declared; read as an object without parameters');
    root = { ...(isObject(root) ? root : {}), type: 'object', properties: {} };
  } else if (typesOf(root).includes('object')) {
    if (typesOf(root).length > 1) {
      warn('', `type ${JSON.stringify(root.type)} read as "object" (tool arguments are always an object)`);
      root.type = 'object';
    }
  } else if (root.type === undefined && (hasObjectKeywords(root) || branchesAreObjects(root, refs))) {
    warn('', 'has no type; read as "object"');
    root.type = 'object';
  } else {
    warn('', `is not an object schema; wrapped as {${WRAPPER_KEY}: <value>} for generation (unwrapArguments undoes it)`);
    root = wrapRoot(root);
    wrapped = true;
  }

  try {
    compileValidator(root);
  } catch (err) {
    warn('', `still does not compile with ajv (${(err as Error).message}); arguments cannot be validated`);
  }
  return { schema: root as SchemaObject, warnings, wrapped };
}

/** Undo the generation wrapper of a non-object root: `{input: X}` -> `X`. Other arguments pass through. */
export function unwrapArguments(args: unknown, info: NormalizeInfo): unknown {
  if (!info.wrapped) return args;
  return isObject(args) && WRAPPER_KEY in args ? args[WRAPPER_KEY] : args;
}

/** The generation-side form of a bare value of a wrapped tool: `X` -> `{input: X}`. */
export function wrapArguments(value: unknown, info: NormalizeInfo): unknown {
  return info.wrapped ? { [WRAPPER_KEY]: value } : value;
}

function fixType(node: SchemaObject, path: string, warn: (path: string, message: string) => void): void {
  const type = node.type;
  if (type === undefined) return;
  const names = Array.isArray(type) ? type : [type];
  const mapped: string[] = [];
  let any = false;
  for (const name of names) {
    const known = typeof name === 'string' ? TYPE_ALIASES[name.toLowerCase()] : undefined;
    if (known === null) any = true;
    else if (known === undefined) warn(path, `unknown type ${JSON.stringify(name)} dropped`);
    else if (!mapped.includes(known)) mapped.push(known);
  }
  let result: unknown = any || mapped.length === 0 ? undefined : mapped.length === 1 && !Array.isArray(type) ? mapped[0] : mapped;
  if (Array.isArray(result) && result.length === 1) result = result[0];
  if (JSON.stringify(result) === JSON.stringify(type)) return;
  if (result === undefined) {
    delete node.type;
    if (any) warn(path, `type ${JSON.stringify(type)} read as "any value" (no type)`);
  } else {
    node.type = result;
    warn(path, `type ${JSON.stringify(type)} read as ${JSON.stringify(result)}`);
  }
}

function fixKeywords(node: SchemaObject, path: string, warn: (path: string, message: string) => void, refs: RefContext, is2020: boolean): void {
  if (typeof node.nullable === 'boolean') {
    if (node.nullable) {
      const types = typesOf(node);
      if (types.length && !types.includes('null')) node.type = [...types, 'null'];
      if (Array.isArray(node.enum) && !node.enum.includes(null)) node.enum = [...node.enum, null];
      warn(path, 'OpenAPI "nullable: true" read as allowing null');
    }
    delete node.nullable;
  }
  for (const side of ['Minimum', 'Maximum'] as const) {
    const exclusive = node[`exclusive${side}`];
    if (typeof exclusive !== 'boolean') continue;
    const bound = side === 'Minimum' ? 'minimum' : 'maximum';
    if (exclusive && typeof node[bound] === 'number') {
      node[`exclusive${side}`] = node[bound];
      delete node[bound];
    } else delete node[`exclusive${side}`];
    warn(path, `draft-04 "exclusive${side}: ${exclusive}" rewritten to the numeric form`);
  }
  if (node.properties !== undefined && !isObject(node.properties)) {
    warn(path, '"properties" is not an object; dropped');
    delete node.properties;
  }
  if (isObject(node.properties)) {
    // draft-03 style `required: true` on the property itself
    const required = Array.isArray(node.required) ? [...node.required] : [];
    for (const [key, prop] of Object.entries(node.properties)) {
      if (isObject(prop) && typeof prop.required === 'boolean') {
        const flag = prop.required;
        if (flag && !required.includes(key)) required.push(key);
        delete prop.required;
        warn(`${path}/properties/${escapePointer(key)}`, `"required: ${flag}" on the property moved to the parent's "required" list`);
      }
    }
    if (required.length || Array.isArray(node.required)) node.required = required;
  }
  // a boolean `required` on a property is moved by the parent (children are fixed first, so leave it)
  const movedByParent = typeof node.required === 'boolean' && /\/properties\/[^/]+$/.test(path);
  if (node.required !== undefined && !movedByParent && (!Array.isArray(node.required) || node.required.some((k) => typeof k !== 'string'))) {
    warn(path, `"required" must be a list of names; ${JSON.stringify(node.required)} dropped`);
    node.required = Array.isArray(node.required) ? node.required.filter((k) => typeof k === 'string') : undefined;
    if (node.required === undefined) delete node.required;
  }
  if (node.enum !== undefined && !Array.isArray(node.enum)) {
    warn(path, `"enum" must be a list; ${JSON.stringify(node.enum)} dropped`);
    delete node.enum;
  }
  if (typeof node.pattern === 'string') {
    try {
      new RegExp(node.pattern, 'u');
    } catch {
      warn(path, `pattern ${JSON.stringify(node.pattern)} is not a valid regular expression; dropped`);
      delete node.pattern;
    }
  }
  if (typeof node.$ref === 'string' && refs.resolve(node.$ref) === undefined) {
    warn(path, `$ref ${JSON.stringify(node.$ref)} cannot be resolved (only local references are); read as "any value"`);
    delete node.$ref;
  }
  if (is2020 && Array.isArray(node.items)) {
    node.prefixItems = node.items;
    if (node.additionalItems !== undefined) node.items = node.additionalItems;
    else delete node.items;
    delete node.additionalItems;
    warn(path, 'draft-07 tuple "items: [...]" rewritten to "prefixItems" for the 2020-12 dialect');
  }
}

function hasObjectKeywords(node: SchemaObject): boolean {
  return OBJECT_KEYWORDS.some((k) => k in node);
}

function isBareRoot(root: SchemaObject): boolean {
  return Object.keys(root).every((k) => BARE_ROOT_KEYS.has(k));
}

function branchesAreObjects(root: SchemaObject, refs: RefContext): boolean {
  const branches = [root.anyOf, root.oneOf, root.allOf].filter(Array.isArray).flat();
  if (!branches.length) return false;
  return branches.every((b) => {
    const node = isObject(b) && typeof b.$ref === 'string' ? refs.resolve(b.$ref) : b;
    return isObject(node) && (typesOf(node).includes('object') || hasObjectKeywords(node));
  });
}

/** `{type: object, properties: {input: root}}`, with references into the root re-pointed under `input`. */
function wrapRoot(root: SchemaObject): SchemaObject {
  const { $schema, $defs, definitions, ...inner } = root;
  const repoint = (node: unknown): unknown => {
    if (!isObject(node)) return node;
    const out = mapSubschemas(node, '', repoint);
    const ref = out.$ref;
    if (typeof ref === 'string' && ref.startsWith('#') && !/^#\/(\$defs|definitions)(\/|$)/.test(ref)) {
      out.$ref = `#/properties/${WRAPPER_KEY}${ref.slice(1).replace(/^\/$/, '')}`;
    }
    return out;
  };
  const wrapper: SchemaObject = {
    ...($schema !== undefined ? { $schema } : {}),
    type: 'object',
    properties: { [WRAPPER_KEY]: repoint(inner) },
    required: [WRAPPER_KEY],
    additionalProperties: false,
  };
  // definitions stay at the root, where their references point; their own references are re-pointed
  if ($defs !== undefined) wrapper.$defs = (repoint({ $defs }) as SchemaObject).$defs;
  if (definitions !== undefined) wrapper.definitions = (repoint({ definitions }) as SchemaObject).definitions;
  return wrapper;
}
