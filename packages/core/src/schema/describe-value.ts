// Argument values as readable text, for user turns written from templates:
// "Paris", "3", "\"red\", \"green\" and \"blue\"", "name: \"Ada\", age: 36".
export function describeValue(value: unknown): string {
  return describe(value, false);
}

function describe(value: unknown, nested: boolean): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'string') return nested ? JSON.stringify(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (!value.length) return 'an empty list';
    const items = value.map((v) => describe(v, true));
    return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (!entries.length) return 'nothing';
    const text = entries.map(([k, v]) => `${k}: ${describe(v, true)}`).join(', ');
    return nested ? `(${text})` : text;
  }
  return String(value);
}
