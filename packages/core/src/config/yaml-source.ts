// The config text as a YAML document that remembers where every key and value came from, so each
// problem found later (schema, semantics, resolution) can be reported at its line and column.
// JSON configs go through the same parser: JSON is YAML's flow style, so positions work for both.
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node } from 'yaml';

/** A step in a field path: a mapping key or a list index. */
export type PathSegment = string | number;

/** A problem found in the config, positioned by field path (turned into line:column at the end). */
export interface PathIssue {
  at: PathSegment[];
  /** Point at the key (unknown or duplicate keys) or at the value (wrong values, the default). */
  on?: 'key' | 'value';
  /** Known position (overrides the lookup by path). */
  position?: Position;
  /** Where to point when it is not `at` itself (e.g. the `url` key of a server that also has `command`). */
  pointAt?: PathSegment[];
  message: string;
}

export interface Position {
  line: number;
  column: number;
}

export interface ParsedSource {
  doc: Document.Parsed;
  lines: LineCounter;
  /** The plain data (aliases resolved); undefined when the text could not be used at all. */
  data: unknown;
  /** Problems that stop everything else: syntax errors, an empty file, a top level that is not a mapping. */
  fatal: { position?: Position; path: PathSegment[]; message: string }[];
  /** Problems found while reading that do not stop validation (duplicate keys). */
  issues: PathIssue[];
}

export function parseSource(text: string): ParsedSource {
  const lines = new LineCounter();
  // uniqueKeys: false so a duplicate key becomes our own path-aware message instead of a bare syntax error.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: true });
  const source: ParsedSource = { doc, lines, data: undefined, fatal: [], issues: [] };

  if (doc.errors.length) {
    const seen = new Set<string>();
    for (const err of doc.errors) {
      const pos = err.linePos?.[0];
      const key = pos ? `${pos.line}:${pos.col}` : '';
      if (seen.has(key)) continue; // one cause often yields several errors at the same spot
      seen.add(key);
      const what =
        err.code === 'MULTIPLE_DOCS'
          ? 'the file holds several YAML documents (a `---` line); a forge config is a single document'
          : firstLine(err.message);
      source.fatal.push({ position: pos ? { line: pos.line, column: pos.col } : undefined, path: [], message: `YAML syntax error: ${what}` });
    }
    return source;
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    source.fatal.push({
      position: { line: 1, column: 1 },
      path: [],
      message: 'the config is empty; it needs at least a `server` (a `command` to start or a `url` to connect to)',
    });
    return source;
  }
  if (!isMap(doc.contents)) {
    const pos = lines.linePos(doc.contents.range?.[0] ?? 0);
    source.fatal.push({
      position: { line: pos.line, column: pos.col },
      path: [],
      message: `expected a mapping of settings (key: value) at the top level, got ${nodeKind(doc.contents)}`,
    });
    return source;
  }
  findDuplicateKeys(doc, doc.contents, [], source);
  try {
    source.data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // The parser accepts these; only resolving them fails, with a bare message and no position.
    source.fatal.push(aliasProblem(doc, lines, err));
  }
  return source;
}

const MAX_ALIAS_COUNT = 1000;

/** An alias without its anchor, or aliases nested so deep that expanding them would exhaust memory. */
function aliasProblem(doc: Document.Parsed, lines: LineCounter, err: unknown): ParsedSource['fatal'][number] {
  const aliases: Alias[] = [];
  visit(doc, { Alias: (_key, node) => void aliases.push(node) });
  const unresolved = aliases.find((a) => a.resolve(doc) === undefined);
  const at = (node: Alias | undefined): Position | undefined => {
    const offset = node?.range?.[0];
    if (offset === undefined) return undefined;
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  if (unresolved) {
    const name = unresolved.source;
    return { position: at(unresolved), path: [], message: `YAML syntax error: the alias *${name} has no anchor &${name} before it; define \`&${name}\` first` };
  }
  if (/alias count/i.test((err as Error).message)) {
    return {
      position: at(aliases[0]),
      path: [],
      message: `YAML aliases expand to too many values (more than ${MAX_ALIAS_COUNT} copies of anchored values); write the values out instead of nesting aliases`,
    };
  }
  return { position: at(aliases[0]), path: [], message: `YAML error: ${firstLine((err as Error).message)}` };
}

/** Line and column of the key or value at `path`, or of its closest existing ancestor. */
export function locate(source: ParsedSource, path: PathSegment[], on: 'key' | 'value' = 'value'): Position | undefined {
  const { doc, lines } = source;
  let node: Node | null | undefined = doc.contents as Node | null;
  let keyNode: Node | undefined;
  for (const seg of path) {
    node = deref(doc, node);
    let next: Node | undefined;
    let nextKey: Node | undefined;
    if (isMap(node)) {
      // The last pair with this key wins, as in the loaded data.
      for (const pair of node.items) {
        if (isScalar(pair.key) && String(pair.key.value) === String(seg)) {
          nextKey = pair.key;
          next = (pair.value as Node | null) ?? pair.key;
        }
      }
    } else if (isSeq(node) && typeof seg === 'number') {
      next = node.items[seg] as Node | undefined;
    }
    if (!next) break;
    node = next;
    keyNode = nextKey; // undefined after a list index: a list item has no key to point at
  }
  const target = on === 'key' && keyNode ? keyNode : node;
  const offset = target?.range?.[0];
  if (offset === undefined) return undefined;
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** `generator.concurrency`, `server[0].command`, `budget.pricing["gpt-4.1"].input`. */
export function formatPath(path: PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Human description of a value's kind for "expected X, got Y" messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

function findDuplicateKeys(doc: Document.Parsed, node: unknown, path: PathSegment[], source: ParsedSource): void {
  if (isMap(node)) {
    const firstLine = new Map<string, number>();
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const line = source.lines.linePos(pair.key.range?.[0] ?? 0).line;
      const first = firstLine.get(key);
      if (first !== undefined) {
        // Positioned at this (the later) key: that is the one the reader must remove or rename.
        const pos = source.lines.linePos(pair.key.range?.[0] ?? 0);
        source.issues.push({
          at: [...path, key],
          position: { line: pos.line, column: pos.col },
          message: `duplicate key \`${key}\` (first set on line ${first}); keep only one`,
        });
      } else firstLine.set(key, line);
      findDuplicateKeys(doc, pair.value, [...path, key], source);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => findDuplicateKeys(doc, item, [...path, i], source));
  }
}

function deref(doc: Document.Parsed, node: Node | null | undefined): Node | null | undefined {
  return isAlias(node) ? (node.resolve(doc) as Node | undefined) : node;
}

function nodeKind(node: Node): string {
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return describeValue(node.value);
  return 'something else';
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
