// `nx release version` for the package.json of @mcp-forge/core, cli and nx-plugin, without @nx/js
// (whose 24.x is not published for this Nx): reads and writes "version" and the ranges of the
// workspace packages they depend on; afterwards refreshes package-lock.json.
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { VersionActions } = require('nx/release');
const { readJson, updateJson } = require('@nx/devkit');

const COLLECTIONS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
const packageName = (graph, project) => graph.nodes[project]?.data?.metadata?.js?.packageName ?? project;

class PackageJsonVersionActions extends VersionActions {
  validManifestFilenames = ['package.json'];

  manifest() {
    return join(this.projectGraphNode.data.root, 'package.json');
  }

  async readCurrentVersionFromSourceManifest(tree) {
    const manifestPath = this.manifest();
    return { currentVersion: readJson(tree, manifestPath).version, manifestPath };
  }

  async readCurrentVersionFromRegistry(tree, metadata = {}) {
    const name = readJson(tree, this.manifest()).name;
    const tag = metadata.tag || 'latest';
    const registry = metadata.registry || spawnSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).stdout.trim();
    const r = spawnSync('npm', ['view', `${name}@${tag}`, 'version', '--registry', registry], { encoding: 'utf8' });
    return { currentVersion: r.status === 0 ? r.stdout.trim() || null : null, logText: `${registry} (tag ${tag})` };
  }

  async readCurrentVersionOfDependency(tree, projectGraph, dependencyProjectName) {
    const json = readJson(tree, this.manifest());
    const dep = packageName(projectGraph, dependencyProjectName);
    for (const c of COLLECTIONS) if (json[c]?.[dep]) return { currentVersion: json[c][dep], dependencyCollection: c };
    return { currentVersion: null, dependencyCollection: null };
  }

  async updateProjectVersion(tree, newVersion) {
    const logs = [];
    for (const { manifestPath } of this.manifestsToUpdate) {
      updateJson(tree, manifestPath, (json) => ({ ...json, version: newVersion }));
      logs.push(`New version ${newVersion} written to ${manifestPath}`);
    }
    return logs;
  }

  async updateProjectDependencies(tree, projectGraph, dependenciesToUpdate) {
    const byPackage = Object.fromEntries(Object.entries(dependenciesToUpdate).map(([p, v]) => [packageName(projectGraph, p), v]));
    const logs = [];
    for (const { manifestPath } of this.manifestsToUpdate) {
      updateJson(tree, manifestPath, (json) => {
        for (const c of COLLECTIONS) for (const dep of Object.keys(json[c] ?? {})) if (byPackage[dep]) json[c][dep] = byPackage[dep];
        return json;
      });
      if (Object.keys(byPackage).length) logs.push(`Updated ${Object.keys(byPackage).join(', ')} in ${manifestPath}`);
    }
    return logs;
  }
}

/** The lock file records the workspace packages' versions: bring it in line after versioning. */
async function afterAllProjectsVersioned(cwd, { dryRun } = {}) {
  if (dryRun) return { changedFiles: [], deletedFiles: [] };
  const r = spawnSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm install --package-lock-only failed:\n${r.stderr}`);
  return { changedFiles: ['package-lock.json'], deletedFiles: [] };
}

module.exports = PackageJsonVersionActions;
module.exports.default = PackageJsonVersionActions;
module.exports.afterAllProjectsVersioned = afterAllProjectsVersioned;
