// Loading forge.yaml: find it (cosmiconfig, in the given directory only), parse it keeping positions
// (yaml), validate it (ajv + cross-field rules), resolve it (defaults, servers, ${VAR}, paths).
// Every problem becomes one ConfigError listing file:line:column, field path and what is expected.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { cosmiconfig, type Loader } from 'cosmiconfig';
import { ConfigError, ForgeError, type ConfigIssue } from '../errors';
import { resolveConfig, type ResolveOptions } from './resolve';
import type { ForgeConfig } from './types';
import { validateConfigData } from './validate';
import { formatPath, locate, parseSource, type ParsedSource, type PathIssue } from './yaml-source';

export type LoadConfigOptions = ResolveOptions;

/** File names looked for in a dataset directory, in this order. */
export const CONFIG_SEARCH_PLACES = ['forge.yaml', 'forge.yml', '.forgerc.yaml', 'forge.config.json'] as const;

/**
 * Load the config of a dataset. `target` is a directory (searched for CONFIG_SEARCH_PLACES, only
 * there, not in its parents) or the path of a config file. Throws ConfigError for invalid content and
 * ForgeError('CONFIG') when there is no config to read.
 */
export async function loadConfig(target: string, opts: LoadConfigOptions = {}): Promise<ForgeConfig> {
  const { text, filepath } = await readConfigFile(target);
  return parseConfigText(text, filepath, opts);
}

/** Parse, validate and resolve config text (YAML or JSON). `filepath` anchors relative paths and messages. */
export function parseConfigText(text: string, filepath: string, opts: LoadConfigOptions = {}): ForgeConfig {
  const file = path.resolve(filepath);
  const source = parseSource(text);
  if (source.fatal.length) {
    throw new ConfigError(
      file,
      source.fatal.map((f) => ({ path: formatPath(f.path), message: f.message, line: f.position?.line, column: f.position?.column })),
    );
  }
  const data = source.data as Record<string, unknown>;
  const issues = [...source.issues, ...validateConfigData(data)];
  if (issues.length) throw new ConfigError(file, positioned(source, issues));
  const resolved = resolveConfig(data, file, opts);
  if (resolved.issues.length) throw new ConfigError(file, positioned(source, resolved.issues));
  return resolved.config;
}

/** The config file's text: `target` itself, or the first search place found in the directory `target`. */
export async function readConfigFile(target: string): Promise<{ text: string; filepath: string }> {
  const abs = path.resolve(target);
  const stat = await fs.stat(abs).catch(() => undefined);
  if (!stat) {
    throw new ForgeError('CONFIG', `Config not found: ${abs} does not exist.`, 'Pass a dataset directory that holds forge.yaml, or the path of a config file.');
  }
  if (!stat.isDirectory()) {
    const text = await fs.readFile(abs, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new ForgeError('CONFIG', `Cannot read the config ${abs}: ${err.code ?? err.message}.`, 'Check the file permissions.', { cause: err });
    });
    return { text, filepath: abs };
  }

  // The loaders hand back the raw text: parsing is ours, because cosmiconfig's YAML loader drops the
  // positions that every error message needs.
  const rawText: Loader = (_filepath, content) => ({ text: content });
  const explorer = cosmiconfig('forge', {
    searchPlaces: [...CONFIG_SEARCH_PLACES],
    searchStrategy: 'none',
    ignoreEmptySearchPlaces: false, // an empty forge.yaml is an error to report, not a reason to look further
    cache: false,
    loaders: { '.yaml': rawText, '.yml': rawText, '.json': rawText },
  });
  const found = await explorer.search(abs);
  if (!found) {
    throw new ForgeError(
      'CONFIG',
      `No forge config in ${abs} (looked for ${CONFIG_SEARCH_PLACES.join(', ')}).`,
      'Create forge.yaml there (`npx nx g @mcp-forge/nx-plugin:dataset <name>` scaffolds one), or pass the path of a config file.',
    );
  }
  return { text: found.isEmpty ? '' : (found.config as { text: string }).text, filepath: found.filepath };
}

/** Issues with their line:column, in file order. */
function positioned(source: ParsedSource, issues: PathIssue[]): ConfigIssue[] {
  const out = issues.map((issue) => {
    const pos = issue.position ?? locate(source, issue.pointAt ?? issue.at, issue.on);
    return { path: formatPath(issue.at), message: issue.message, line: pos?.line, column: pos?.column };
  });
  const seen = new Set<string>();
  return out
    .filter((i) => {
      const key = `${i.line}:${i.column}:${i.path}:${i.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
