// `nx add @mcp-forge/nx-plugin` runs this (`nx g @mcp-forge/nx-plugin:init`): registers the plugin in
// nx.json with its options and keeps the build caches out of git. Running it again changes nothing
// (an existing registration keeps its options unless --datasets is given).
import { formatFiles, logger, readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { DEFAULT_DATASETS, PLUGIN_NAME, type ForgePluginOptions } from '../../datasets-option';

export interface InitGeneratorOptions {
  /** Glob of the dataset directories (default `datasets/*`). */
  datasets?: string;
  skipFormat?: boolean;
}

/** Lines added to .gitignore: the request cache and run state of the pipeline. */
export const GITIGNORE_LINES = ['.forge/'];

function registerPlugin(tree: Tree, datasets: string | undefined): boolean {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const at = plugins.findIndex((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
  if (at >= 0) {
    const current = plugins[at];
    const options: ForgePluginOptions = typeof current === 'string' ? {} : ((current.options as ForgePluginOptions) ?? {});
    if (datasets === undefined || options.datasets === datasets) return false;
    plugins[at] = { ...(typeof current === 'string' ? { plugin: PLUGIN_NAME } : current), options: { ...options, datasets } };
  } else {
    plugins.push({ plugin: PLUGIN_NAME, options: { datasets: datasets ?? DEFAULT_DATASETS } });
  }
  updateNxJson(tree, { ...nxJson, plugins });
  return true;
}

function ignoreForgeCache(tree: Tree): boolean {
  const text = tree.exists('.gitignore') ? tree.read('.gitignore', 'utf-8')! : '';
  const bare = (l: string) => l.trim().replace(/^\//, '').replace(/\/$/, '');
  const lines = new Set(text.split(/\r?\n/).map(bare));
  const missing = GITIGNORE_LINES.filter((l) => !lines.has(bare(l)));
  if (!missing.length) return false;
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  tree.write('.gitignore', `${text}${sep}\n# mcp-forge: request cache and run state\n${missing.join('\n')}\n`);
  return true;
}

export default async function initGenerator(tree: Tree, options: InitGeneratorOptions = {}): Promise<void> {
  if (options.datasets !== undefined && (!options.datasets.trim() || /^\/|\.\./.test(options.datasets))) {
    throw new Error(`--datasets "${options.datasets}": give a glob of dataset directories relative to the workspace root, e.g. "datasets/*".`);
  }
  const registered = registerPlugin(tree, options.datasets);
  const ignored = ignoreForgeCache(tree);
  if (!registered && !ignored) logger.info(`${PLUGIN_NAME} is already set up in this workspace; nothing to change.`);
  if (!options.skipFormat) await formatFiles(tree);
}
