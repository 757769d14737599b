// Local `$ref` handling for one root schema. Real MCP schemas point into `$defs`, `definitions`, the
// root itself (`#`, recursive trees) and sometimes straight into `#/properties/...`. RefContext resolves
// all of them and can rewrite a schema so that every local reference is `#/$defs/<name>`: that one
// shape lets a SUBSCHEMA be validated on its own (its references travel with it in `$defs`), and lets
// strictify emit `$defs` only (OpenAI's strict mode knows `$defs`, not `definitions`).
import type { JsonSchema } from '../types';
import { compileValidator, type Validator } from './validator';
import { escapePointer, isObject, mapSubschemas, type SchemaObject, unescapePointer } from './walk';

export interface RefContextOptions {
  /** Keep `$ref: "#"` as it is (strict output) instead of hoisting the root into `$defs` (validation). */
  keepRootRef?: boolean;
}

const DEFS_REF = /^#\/(\$defs|definitions)\/([^/]+)$/;

export class RefContext {
  readonly root: JsonSchema;
  private readonly keepRootRef: boolean;
  private readonly names = new Map<string, string>();
  private readonly taken = new Set<string>();
  private readonly defs: Record<string, unknown> = {};
  private readonly validators = new WeakMap<object, Validator>();
  private hoistedRoot?: SchemaObject;

  constructor(root: JsonSchema, options: RefContextOptions = {}) {
    this.root = root;
    this.keepRootRef = options.keepRootRef ?? false;
  }

  /** The node a local reference points to (undefined when it does not resolve or is not local). */
  resolve(ref: string): unknown {
    if (!ref.startsWith('#')) return undefined;
    const pointer = ref.slice(1);
    if (pointer === '' || pointer === '/') return this.root;
    if (!pointer.startsWith('/')) return undefined; // `#anchor` names are not supported
    let node: unknown = this.root;
    for (const raw of pointer.slice(1).split('/')) {
      const key = unescapePointer(raw);
      if (Array.isArray(node)) node = node[Number(key)];
      else if (isObject(node)) node = node[key];
      else return undefined;
      if (node === undefined) return undefined;
    }
    return node;
  }

  /** The root with `definitions` folded into `$defs` and every local `$ref` rewritten to `#/$defs/<name>`. */
  hoisted(): SchemaObject {
    if (this.hoistedRoot) return this.hoistedRoot;
    const root = isObject(this.root) ? this.root : {};
    for (const key of ['$defs', 'definitions']) {
      const defs = root[key];
      if (isObject(defs)) for (const name of Object.keys(defs)) this.nameFor(`#/${key}/${escapePointer(name)}`);
    }
    const { $defs: _defs, definitions: _definitions, ...rest } = root;
    const body = this.rewrite(rest) as SchemaObject;
    this.hoistedRoot = Object.keys(this.defs).length ? { ...body, $defs: { ...this.defs } } : body;
    return this.hoistedRoot;
  }

  /** Names of the hoisted definitions, in the order they were found. */
  defNames(): string[] {
    this.hoisted();
    return Object.keys(this.defs);
  }

  /** A hoisted definition by name (after hoisted()). */
  def(name: string): unknown {
    return this.defs[name];
  }

  /** A node of the original root rewritten with hoisted references. */
  rewrite(node: unknown): unknown {
    if (!isObject(node)) return node;
    const mapped = mapSubschemas(node, '', (child) => this.rewrite(child));
    if (typeof mapped.$ref === 'string') mapped.$ref = this.localRef(mapped.$ref);
    return mapped;
  }

  /**
   * A validator for a node of the original root (identity matters: pass the object you got from the
   * root or from resolve()). Its references are carried along, so it validates like the root would.
   */
  validatorFor(node: unknown): Validator {
    if (typeof node === 'boolean') return compileValidator(node);
    if (!isObject(node)) return compileValidator({});
    const hit = this.validators.get(node);
    if (hit) return hit;
    let schema: SchemaObject;
    if (node === this.root) {
      schema = this.hoisted();
    } else {
      this.hoisted();
      const { $schema: _s, $id: _i, ...body } = this.rewrite(node) as SchemaObject;
      schema = Object.keys(this.defs).length ? { ...body, $defs: { ...this.defs } } : body;
    }
    const dialect = isObject(this.root) ? this.root.$schema : undefined;
    const validator = compileValidator(typeof dialect === 'string' ? { $schema: dialect, ...schema } : schema);
    this.validators.set(node, validator);
    return validator;
  }

  private localRef(ref: string): string {
    if (!ref.startsWith('#')) return ref;
    if ((ref === '#' || ref === '#/') && this.keepRootRef) return '#';
    if (this.resolve(ref) === undefined) return ref; // left for the validator to report
    return `#/$defs/${escapePointer(this.nameFor(ref === '#/' ? '#' : ref))}`;
  }

  private nameFor(ref: string): string {
    const known = this.names.get(ref);
    if (known !== undefined) return known;
    const match = DEFS_REF.exec(ref);
    let name = match ? unescapePointer(match[2]) : ref === '#' ? 'root' : ref.slice(2).split('/').map(unescapePointer).join('_');
    while (this.taken.has(name)) name += '_';
    this.taken.add(name);
    this.names.set(ref, name);
    this.defs[name] = {}; // placeholder first: a recursive reference finds the name and stops
    let target = this.resolve(ref);
    if (ref === '#' && isObject(target)) {
      const { $defs: _d, definitions: _n, $schema: _s, $id: _i, ...rest } = target;
      target = rest;
    }
    this.defs[name] = this.rewrite(target);
    return name;
  }
}
