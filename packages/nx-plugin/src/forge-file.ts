// What the plugin needs to know from a forge.yaml, read leniently: the graph must still build when a
// forge.yaml is invalid (the executors then report the exact errors).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface ForgeFileFacts {
  name?: string;
  outputDir?: string;
  /** Nx projects named by `server[].project`. */
  serverProjects: string[];
  /** Server command arguments (to find the project or npm package that serves the tools). */
  serverArgs: string[];
}

export function readForgeFile(path: string): ForgeFileFacts {
  let doc: Record<string, unknown> = {};
  try {
    const parsed = parse(readFileSync(path, 'utf8'));
    if (parsed && typeof parsed === 'object') doc = parsed as Record<string, unknown>;
  } catch {
    // Invalid YAML: no facts; the executors will print the syntax error with its position.
  }
  const servers = (Array.isArray(doc.server) ? doc.server : doc.server ? [doc.server] : []) as Record<string, unknown>[];
  const output = (doc.output ?? {}) as Record<string, unknown>;
  return {
    name: typeof doc.name === 'string' ? doc.name : undefined,
    outputDir: typeof output.dir === 'string' ? output.dir : undefined,
    serverProjects: servers.map((s) => s?.project).filter((p): p is string => typeof p === 'string'),
    serverArgs: servers.flatMap((s) => [s?.command, ...(Array.isArray(s?.args) ? s.args : [])]).filter((a): a is string => typeof a === 'string'),
  };
}
