// `server` is checked here rather than through the schema's anyOf: ajv reports every failed branch
// of an anyOf, which reads as noise. Deciding the transport first (command => stdio, url => HTTP)
// lets each entry be validated against exactly one definition, with one clear message per problem.
import { forgeSchema, schemaIssues, unknownKeyMessage, validatorFor, type SchemaNode } from './schema';
import { closestKey } from './suggest';
import { describeValue, type PathIssue, type PathSegment } from './yaml-source';

const definitions = forgeSchema.definitions as Record<string, SchemaNode>;
const STDIO_KEYS = Object.keys(definitions.stdioServer.properties as SchemaNode);
const HTTP_KEYS = Object.keys(definitions.httpServer.properties as SchemaNode);
const ALL_KEYS = [...new Set([...STDIO_KEYS, ...HTTP_KEYS])];

export function serverIssues(config: Record<string, unknown>): PathIssue[] {
  const server = config.server;
  if (server === undefined) {
    return [
      {
        at: [],
        message: 'missing `server`: add the MCP server to build from, e.g. `server: { command: node, args: [server.js] }` (stdio) or `server: { url: http://localhost:3000/mcp }` (HTTP)',
      },
    ];
  }
  if (Array.isArray(server)) {
    if (server.length === 0) return [{ at: ['server'], message: 'must list at least 1 server' }];
    return server.flatMap((entry, i) => entryIssues(entry, ['server', i]));
  }
  return entryIssues(server, ['server']);
}

function entryIssues(entry: unknown, at: PathSegment[]): PathIssue[] {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
    const expected = at.length === 1 ? 'a mapping (one server) or a list of servers' : 'a mapping with `command` (stdio) or `url` (HTTP)';
    return [{ at, message: `expected ${expected}, got ${describeValue(entry)}` }];
  }
  const keys = entry as Record<string, unknown>;
  const hasCommand = 'command' in keys;
  const hasUrl = 'url' in keys;
  if (hasCommand && hasUrl) return [{ at, pointAt: [...at, 'url'], on: 'key', message: 'use either command (stdio) or url (HTTP), not both' }];
  if (!hasCommand && !hasUrl) {
    const unknown = Object.keys(keys).filter((k) => !ALL_KEYS.includes(k));
    const issues = unknown.map((k): PathIssue => ({ at: [...at, k], on: 'key', message: unknownKeyMessage(k, ALL_KEYS) }));
    // A misspelt `comand` already says what is missing; only say it outright when no typo explains it.
    const typoOfTransport = unknown.some((k) => ['command', 'url'].includes(closestKey(k, ALL_KEYS) ?? ''));
    if (!typoOfTransport) issues.unshift({ at, on: 'key', message: 'needs `command` (to start a stdio server) or `url` (to connect over HTTP)' });
    return issues;
  }
  const kind = hasCommand ? 'stdio' : 'http';
  const issues = schemaIssues(validatorFor(kind === 'stdio' ? 'stdioServer' : 'httpServer'), entry, at);
  return issues.map((issue) => explainTransportMismatch(issue, kind, at));
}

/** `headers` on a stdio server (or `env` on an HTTP one) is a real key in the wrong place: say so. */
function explainTransportMismatch(issue: PathIssue, kind: 'stdio' | 'http', at: PathSegment[]): PathIssue {
  if (issue.on !== 'key' || issue.at.length !== at.length + 1) return issue;
  const key = String(issue.at[issue.at.length - 1]);
  const otherKeys = kind === 'stdio' ? HTTP_KEYS : STDIO_KEYS;
  const ownKeys = kind === 'stdio' ? STDIO_KEYS : HTTP_KEYS;
  if (!otherKeys.includes(key) || ownKeys.includes(key)) return issue;
  const message =
    kind === 'stdio'
      ? `\`${key}\` only applies to HTTP servers (with \`url\`); this server has \`command\` (stdio)`
      : `\`${key}\` only applies to stdio servers (with \`command\`); this server has \`url\` (HTTP)`;
  return { ...issue, message };
}
