// Throwaway workspaces for the reliability specs: a root directory with one dataset
// (`datasets/<name>/forge.yaml`), and the forge.yaml snippets that start the fixture MCP servers.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '../../../../..');
export const FIXTURES = resolve(__dirname, '../fixtures');
export const SCRIPTED_SERVER = join(FIXTURES, 'scripted-server.js');
export const WEATHER_SERVER = join(REPO, 'tools/weather-mcp-server/bin/weather-mcp-server.js');
export const CLI = join(REPO, 'packages/cli/bin/mcp-forge.js');

export interface Workspace {
  root: string;
  /** The dataset directory (holds forge.yaml and tools.lock.json). */
  dir: string;
  config: string;
  lock: string;
  /** Default output directory of the pipeline for this dataset. */
  out: string;
  cache: string;
  write(rel: string, text: string): string;
  read(rel: string): string;
  cleanup(): void;
}

export function workspace(yaml: string, name = 'ds'): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'forge-rel-'));
  const dir = join(root, 'datasets', name);
  mkdirSync(dir, { recursive: true });
  const ws: Workspace = {
    root,
    dir,
    config: join(dir, 'forge.yaml'),
    lock: join(dir, 'tools.lock.json'),
    out: join(root, 'dist', 'datasets', name),
    cache: join(root, '.forge', 'cache'),
    write(rel, text) {
      const path = resolve(root, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      return path;
    },
    read: (rel) => readFileSync(resolve(root, rel), 'utf8'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  writeFileSync(ws.config, yaml);
  return ws;
}

/** A `server:` block for the scripted fixture server (see fixtures/scripted-server.js for FIXTURE_* variables). */
export function scriptedServer(env: Record<string, string> = {}, extra: Record<string, unknown> = {}): string {
  const fields = { command: process.execPath, args: [SCRIPTED_SERVER], env, startupTimeoutMs: 5000, callTimeoutMs: 5000, ...extra };
  return `server: ${JSON.stringify(fields)}\n`;
}

export function weatherServer(env: Record<string, string> = {}): string {
  return `server: ${JSON.stringify({ command: process.execPath, args: [WEATHER_SERVER], env })}\n`;
}

/** Writes a tools list for FIXTURE_TOOLS and returns its path. */
export function toolsFile(ws: Workspace, tools: unknown[], rel = 'fixture-tools.json'): string {
  return ws.write(rel, JSON.stringify(tools));
}

/** A small, fast build: few samples, no augmentation beyond the seeds, loose scenario tolerance. */
export const SMALL_BUILD = 'samples: 6\naugmentation: { factor: 1 }\nthresholds: { scenarioTolerance: 1, minSamplesPerTool: 0 }\n';
