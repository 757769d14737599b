// The plugin's `datasets` option (nx.json → plugins → @mcp-forge/nx-plugin → options.datasets): a glob
// of dataset directories, each holding a forge.yaml. `*` matches one path segment, `**` any number.
import { readNxJson, type Tree } from '@nx/devkit';

export const PLUGIN_NAME = '@mcp-forge/nx-plugin';
export const DEFAULT_DATASETS = 'datasets/*';

export interface ForgePluginOptions {
  /** Glob of the dataset directories (default `datasets/*`). */
  datasets?: string;
}

const clean = (glob: string) => glob.trim().replace(/^\.\//, '').replace(/\/+$/, '');

/** A RegExp matching the directories that the glob names (tested with a trailing slash). */
export function datasetsPattern(glob: string = DEFAULT_DATASETS): RegExp {
  const parts = clean(glob)
    .split('/')
    .map((seg) => (seg === '**' ? '(?:[^/]+/)*' : `${seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}/`));
  return new RegExp(`^${parts.join('')}$`);
}

/** Whether a forge.yaml (workspace-relative path) belongs to a dataset under the glob. */
export function isDatasetFile(file: string, glob?: string): boolean {
  const dir = file.replace(/\/[^/]+$/, '');
  return /(^|\/)forge\.ya?ml$/.test(file) && datasetsPattern(glob).test(`${dir}/`);
}

/** The options given to this plugin in nx.json, if it is registered. */
export function pluginOptions(tree: Tree): ForgePluginOptions | undefined {
  const entry = (readNxJson(tree)?.plugins ?? []).find((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
  if (entry === undefined) return undefined;
  return typeof entry === 'string' ? {} : ((entry.options as ForgePluginOptions) ?? {});
}

/** Where `nx g …:dataset` puts a new dataset: the fixed part of the glob before its first wildcard. */
export function datasetsDirectory(tree: Tree): string {
  const glob = clean(pluginOptions(tree)?.datasets ?? DEFAULT_DATASETS);
  const fixed: string[] = [];
  for (const seg of glob.split('/')) {
    if (/[*?]/.test(seg)) break;
    fixed.push(seg);
  }
  return fixed.join('/') || 'datasets';
}
