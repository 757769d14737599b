// `nx g @mcp-forge/nx-plugin:dataset <name> --server "<cmd>"`: writes datasets/<name>/forge.yaml and,
// after starting the server once to list its tools, datasets/<name>/tools.lock.json, so that
// `nx run <name>:synthesize` works straight away. A server that cannot be started fails the
// generator and nothing is written.
import { existsSync, mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { getProjects, logger, type GeneratorCallback, type Tree } from '@nx/devkit';
import { describeError, inspectServers, parseConfigText, serializeLock, type ServerConfig } from '@mcp-forge/core';
import { renderForgeYaml } from './forge-yaml';
import { datasetsDirectory } from '../../datasets-option';

export interface DatasetGeneratorOptions {
  name: string;
  server: string;
  samples?: number;
  project?: string;
  description?: string;
  /** server.startupTimeoutMs in forge.yaml, and the time the generator waits for the server. */
  startupTimeoutMs?: number;
  /** Only these tools (tools.include), comma-separated on the command line. */
  tools?: string | string[];
}

/** A package runner's first start downloads the package (45 s on a cold npm cache is common). */
const PACKAGE_RUNNER = /^(npx|pnpx|bunx|uvx)$|^(pnpm|yarn|npm)$/;
const FIRST_START_TIMEOUT_MS = 180_000;

function toolList(tools: DatasetGeneratorOptions['tools']): string[] | undefined {
  if (tools === undefined) return undefined;
  const list = (Array.isArray(tools) ? tools : String(tools).split(',')).map((t) => t.trim()).filter(Boolean);
  if (!list.length) throw new Error('--tools: give one or more tool names, comma-separated (e.g. --tools read_graph,search_nodes); `*` matches any run of characters.');
  return list;
}

const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^[0-9-]+/, '');
}

/** Throws with what to type instead when the name cannot be a new dataset. */
export function checkDatasetName(tree: Tree, name: string): void {
  if (!KEBAB.test(name ?? '')) {
    const suggestion = kebab(name ?? '');
    throw new Error(
      `Invalid dataset name "${name}": use kebab-case (lower-case letters, digits and single hyphens, starting with a letter)${suggestion ? `, e.g. "${suggestion}"` : ''}.`,
    );
  }
  const dir = `${datasetsDirectory(tree)}/${name}`;
  if (tree.exists(dir) && (tree.isFile(dir) || tree.children(dir).length > 0)) {
    throw new Error(`Dataset "${name}" already exists: ${dir} is not empty. Choose another name, or delete ${dir} first.`);
  }
  const clash = getProjects(tree).get(name);
  if (clash) throw new Error(`An Nx project named "${name}" already exists (at ${clash.root}); dataset names are project names. Choose another name.`);
}

/** Lists the tools as `nx run <name>:inspect` would, from the dataset directory (created on disk meanwhile when missing). */
async function lockText(servers: ServerConfig[], datasetDir: string): Promise<string> {
  const created = existsSync(datasetDir) ? undefined : mkdirSync(datasetDir, { recursive: true });
  try {
    const { lock, warnings } = await inspectServers(servers);
    for (const w of warnings) logger.warn(w);
    logger.info(`${lock.tools.length} tools: ${lock.tools.map((t) => t.name).join(', ')}`);
    return serializeLock(lock);
  } finally {
    // Leave the disk as it was: the Tree writes the files when the generator is done (not at all with --dry-run).
    for (let dir = datasetDir; created && dir.length >= created.length; dir = dirname(dir)) {
      if (!existsSync(dir) || readdirSync(dir).length > 0) break;
      rmdirSync(dir);
    }
  }
}

export default async function datasetGenerator(tree: Tree, options: DatasetGeneratorOptions): Promise<GeneratorCallback> {
  const name = options.name;
  checkDatasetName(tree, name);
  if (options.project && !getProjects(tree).has(options.project)) {
    throw new Error(`--project ${options.project}: no such Nx project. Give the project that builds the server (see \`nx show projects\`), or leave --project out.`);
  }
  const rel = `${datasetsDirectory(tree)}/${name}`;
  const datasetDir = join(tree.root, rel);
  const configPath = join(datasetDir, 'forge.yaml');
  let text: string;
  let servers: ServerConfig[];
  try {
    text = renderForgeYaml({ ...options, tools: toolList(options.tools), name, root: tree.root, datasetDir, cwd: process.cwd(), samples: options.samples ?? 100 });
    servers = parseConfigText(text, configPath, { workspaceRoot: tree.root }).servers;
    // Without --startupTimeoutMs, `npx -y <pkg>` and the like get time to download the package first.
    if (!options.startupTimeoutMs) servers = servers.map((s) => ('command' in s && PACKAGE_RUNNER.test(s.command) ? { ...s, startupTimeoutMs: Math.max(s.startupTimeoutMs, FIRST_START_TIMEOUT_MS) } : s));
  } catch (err) {
    throw new Error(`Cannot write ${rel}/forge.yaml: ${describeError(err)}`);
  }
  logger.info(`Starting the MCP server to list its tools (${options.server}) ...`);
  let lock: string;
  try {
    lock = await lockText(servers, datasetDir);
  } catch (err) {
    throw new Error(`Cannot create dataset "${name}": the MCP server did not list its tools.\n${describeError(err)}\nNothing was written. Check that --server "${options.server}" starts an MCP server (run it by hand), then try again.`);
  }
  if (options.tools) {
    const listed = new Set((JSON.parse(lock) as { tools: { name: string }[] }).tools.map((t) => t.name));
    const missing = toolList(options.tools)!.filter((t) => !t.includes('*') && !listed.has(t) && ![...listed].some((n) => n.endsWith(`__${t}`) || n.endsWith(`_${t}`)));
    if (missing.length) throw new Error(`--tools: the server has no tool ${missing.join(', ')}. Its tools: ${[...listed].join(', ')}. Nothing was written.`);
  }
  tree.write(`${rel}/forge.yaml`, text);
  tree.write(`${rel}/tools.lock.json`, lock);
  return () => {
    logger.info(`Created ${rel}. Build it with: npx nx run ${name}:synthesize`);
    logger.info(`Commit ${relative(tree.root, configPath)} and ${rel}/tools.lock.json; the lock file is reviewed like a lockfile.`);
  };
}
