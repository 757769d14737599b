// The init generator on an in-memory workspace tree (what `nx add @mcp-forge/nx-plugin` runs).
import { readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import initGenerator from './generator';
import { datasetsDirectory, datasetsPattern, isDatasetFile } from '../../datasets-option';

let tree: Tree;
beforeEach(() => {
  tree = createTreeWithEmptyWorkspace();
  tree.write('.gitignore', 'node_modules\ndist');
});

const plugins = () => readNxJson(tree)!.plugins;

describe('init generator', () => {
  it('registers the plugin with the default datasets glob and ignores .forge/', async () => {
    await initGenerator(tree, { skipFormat: true });
    expect(plugins()).toEqual([{ plugin: '@mcp-forge/nx-plugin', options: { datasets: 'datasets/*' } }]);
    expect(tree.read('.gitignore', 'utf-8')).toBe('node_modules\ndist\n\n# mcp-forge: request cache and run state\n.forge/\n');
  });

  it('is idempotent: a second run changes no file', async () => {
    await initGenerator(tree, { skipFormat: true });
    const before = { nx: tree.read('nx.json', 'utf-8'), ignore: tree.read('.gitignore', 'utf-8') };
    await initGenerator(tree, { skipFormat: true });
    expect({ nx: tree.read('nx.json', 'utf-8'), ignore: tree.read('.gitignore', 'utf-8') }).toEqual(before);
    expect(plugins()).toHaveLength(1);
  });

  it('keeps an existing registration and other plugins; --datasets updates the glob', async () => {
    updateNxJson(tree, { ...readNxJson(tree), plugins: ['@nx/js/typescript', '@mcp-forge/nx-plugin'] });
    await initGenerator(tree, { skipFormat: true });
    expect(plugins()).toEqual(['@nx/js/typescript', '@mcp-forge/nx-plugin']);
    await initGenerator(tree, { datasets: 'data/sets/*', skipFormat: true });
    expect(plugins()).toEqual(['@nx/js/typescript', { plugin: '@mcp-forge/nx-plugin', options: { datasets: 'data/sets/*' } }]);
    expect(datasetsDirectory(tree)).toBe('data/sets');
  });

  it('does not add .forge/ twice when the workspace already ignores it', async () => {
    tree.write('.gitignore', '/.forge\n');
    await initGenerator(tree, { skipFormat: true });
    expect(tree.read('.gitignore', 'utf-8')).toBe('/.forge\n');
  });

  it('rejects a datasets glob outside the workspace with what to give instead', async () => {
    await expect(initGenerator(tree, { datasets: '../elsewhere/*', skipFormat: true })).rejects.toThrow(/relative to the workspace root, e.g. "datasets\/\*"/);
  });
});

describe('datasets option', () => {
  it('matches forge.yaml files of the dataset directories only', () => {
    expect(isDatasetFile('datasets/weather/forge.yaml')).toBe(true);
    expect(isDatasetFile('datasets/weather/forge.yml')).toBe(true);
    expect(isDatasetFile('datasets/weather/nested/forge.yaml')).toBe(false);
    expect(isDatasetFile('packages/x/forge.yaml')).toBe(false);
    expect(isDatasetFile('ml/data/a/forge.yaml', 'ml/**')).toBe(true);
    expect(datasetsPattern('ml/**').test('ml/data/a/')).toBe(true);
    expect(isDatasetFile('libs/a-data/forge.yaml', 'libs/*-data')).toBe(true);
    expect(isDatasetFile('libs/a-api/forge.yaml', 'libs/*-data')).toBe(false);
  });

  it('puts new datasets under the fixed part of the glob', () => {
    expect(datasetsDirectory(tree)).toBe('datasets');
    updateNxJson(tree, { ...readNxJson(tree), plugins: [{ plugin: '@mcp-forge/nx-plugin', options: { datasets: 'ml/datasets/*' } }] });
    expect(datasetsDirectory(tree)).toBe('ml/datasets');
  });
});
