// Defaults come from the schema's `default` annotations, so the file editors read and the values
// the loader applies cannot drift apart. An object with its own `default` (the scenario mix, the
// strategy weights) is replaced as a whole when the user gives it: fractions given by the user must
// sum to 1 on their own, so merging them with default shares would be wrong.
import { forgeSchema, type SchemaNode } from './schema';

const definitions = forgeSchema.definitions as Record<string, SchemaNode>;

/** A copy of `value` with every missing field that has a schema default filled in (deeply). */
export function withDefaults<T>(value: unknown, node: SchemaNode = forgeSchema): T {
  return fill(structuredClone(value), node) as T;
}

/** `{ $ref, ...siblings }` as one node: the definition with the siblings (default, description) on top. */
export function deref(node: SchemaNode): SchemaNode {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  const name = ref.replace('#/definitions/', '');
  const { $ref: _ref, ...siblings } = node;
  return { ...deref(definitions[name]), ...siblings };
}

function fill(value: unknown, raw: SchemaNode): unknown {
  const node = deref(raw);
  if (value === undefined) {
    if ('default' in node) value = structuredClone(node.default);
    else if (node.type === 'object' && hasDefaults(node)) value = {};
    else return undefined;
  }
  if (isPlainObject(value)) {
    const props = (node.properties ?? {}) as Record<string, SchemaNode>;
    for (const [key, sub] of Object.entries(props)) {
      const filled = fill(value[key], sub);
      if (filled !== undefined) value[key] = filled;
    }
    if (isPlainObject(node.additionalProperties)) {
      for (const key of Object.keys(value)) if (!(key in props)) value[key] = fill(value[key], node.additionalProperties);
    }
  } else if (Array.isArray(value) && isPlainObject(node.items)) {
    const items = node.items;
    return value.map((item) => fill(item, items));
  }
  return value;
}

function hasDefaults(node: SchemaNode): boolean {
  const props = (node.properties ?? {}) as Record<string, SchemaNode>;
  return Object.values(props).some((sub) => {
    const d = deref(sub);
    return 'default' in d || (d.type === 'object' && hasDefaults(d));
  });
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
