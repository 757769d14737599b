// The Nx plugin: one project per datasets/<name>/forge.yaml with the five pipeline targets, and a
// dependency edge from a dataset to the project that builds its MCP server (so `nx affected` selects
// the dataset when the server's code changes).
import { dirname, join, relative, resolve, sep } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import {
  createNodesFromFiles,
  DependencyType,
  type CreateDependencies,
  type CreateNodes,
  type CreateNodesContext,
  type RawProjectGraphDependency,
  type TargetConfiguration,
} from '@nx/devkit';
import { readForgeFile } from './forge-file';
import { isDatasetFile, type ForgePluginOptions } from './datasets-option';

/** Every forge.yaml; the `datasets` option (default `datasets/*`) says which directories are datasets. */
export const FORGE_GLOB = '**/{forge.yaml,forge.yml}';

/** npm packages whose code shapes the outputs (hashed by version through the lock file). */
export const EXTERNAL_DEPENDENCIES = ['openai', 'ajv', 'ajv-formats', 'yaml', 'cosmiconfig', '@modelcontextprotocol/sdk', '@faker-js/faker', '@huggingface/jinja', 'cacache', '@nx/devkit'];

const PLUGIN = '@mcp-forge/nx-plugin';

/** Sources of core and the plugin, relative to the workspace ({workspaceRoot} inputs). */
function sourceInputs(workspaceRoot: string): string[] {
  const pluginRoot = relative(workspaceRoot, resolve(__dirname, '..'));
  const coreRoot = relative(workspaceRoot, dirname(require.resolve('@mcp-forge/core/package.json')));
  const inside = (p: string) => !p.startsWith('..') && !p.split(sep).includes('node_modules');
  const inputs: string[] = [];
  for (const root of [coreRoot, pluginRoot]) {
    if (!inside(root)) continue;
    inputs.push(`{workspaceRoot}/${root}/src/**/*`, `!{workspaceRoot}/${root}/src/**/*.spec.ts`, `!{workspaceRoot}/${root}/src/**/fixtures/**`, `{workspaceRoot}/${root}/package.json`);
  }
  if (inside(pluginRoot)) inputs.push(`{workspaceRoot}/${pluginRoot}/executors.json`);
  return inputs;
}

/** Installed from npm (not this repository's sources): the plugin's and core's versions are hashed instead. */
function installedForgePackages(workspaceRoot: string): string[] {
  const pluginRoot = relative(workspaceRoot, resolve(__dirname, '..'));
  return pluginRoot.startsWith('..') || pluginRoot.split(sep).includes('node_modules') ? ['@mcp-forge/nx-plugin', '@mcp-forge/core'] : [];
}

/** The provider-key script, relative to the workspace when it lies inside (portable hashes), else absolute. */
function providerKeyScript(workspaceRoot: string): string {
  const script = resolve(__dirname, '..', 'bin', 'provider-key.js');
  const rel = relative(workspaceRoot, script);
  return rel.startsWith('..') ? JSON.stringify(script) : rel;
}

/**
 * The runtime input for what decides the provider besides forge.yaml (hashed as a file): whether an
 * API key is set (never its value) and the endpoint. Nx runs it through `sh -c`, so on POSIX it is a
 * shell expansion and starts no process (a `node` start is 0.1–1 s); cmd.exe on Windows runs provider-key.js.
 */
export function providerInput(workspaceRoot: string, forgeFile: string): { runtime: string } {
  if (process.platform === 'win32') return { runtime: `node ${providerKeyScript(workspaceRoot)} ${forgeFile}` };
  return { runtime: 'echo "mcp-forge provider env: ${OPENAI_API_KEY:+key-set} ${OPENAI_BASE_URL:-}"' };
}

/** npm packages named in the server command (e.g. `npx -y @modelcontextprotocol/server-memory`) and installed here. */
function serverPackages(args: string[], workspaceRoot: string): string[] {
  let deps: Record<string, string> = {};
  try {
    const pkg = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8'));
    deps = { ...pkg.dependencies, ...pkg.devDependencies };
  } catch {
    return [];
  }
  const names = new Set<string>();
  for (const arg of args) {
    const parts = arg.replace(/\\/g, '/').split('/');
    // `.../node_modules/@scope/name/...` or `.../node_modules/name/...`
    const at = parts.lastIndexOf('node_modules');
    if (at >= 0 && parts[at + 1]) names.add(parts[at + 1].startsWith('@') ? `${parts[at + 1]}/${parts[at + 2] ?? ''}` : parts[at + 1]);
    // `npx -y @scope/name@1.2.3` or `name@latest`
    const bare = /^((?:@[\w.-]+\/)?[\w.-]+?)(?:@[\w.^~*-]+)?$/.exec(arg);
    if (bare) names.add(bare[1]);
  }
  return [...names].filter((n) => deps[n]);
}

export function datasetTargets(projectRoot: string, file: string, workspaceRoot: string): Record<string, TargetConfiguration> {
  const facts = readForgeFile(join(workspaceRoot, file));
  const name = facts.name ?? projectRoot.split('/').pop()!;
  const out = facts.outputDir ? `{workspaceRoot}/${relative(workspaceRoot, resolve(workspaceRoot, projectRoot, facts.outputDir))}` : `{workspaceRoot}/dist/datasets/${name}`;
  const config = `{projectRoot}/${file.split('/').pop()}`;
  const external = { externalDependencies: [...EXTERNAL_DEPENDENCIES, ...installedForgePackages(workspaceRoot), ...serverPackages(facts.serverArgs, workspaceRoot)] };
  const sources = sourceInputs(workspaceRoot);
  // For generate only: generate records the provider and model it used in usage.json and plan.json,
  // which augment, qc and synthesize hash through `upstream`.
  const provider = providerInput(workspaceRoot, join(projectRoot, file.split('/').pop()!));
  const upstream = { dependentTasksOutputFiles: '**/*.{json,jsonl}', transitive: true };
  const target = (executor: string, outputs: string[], extra: Partial<TargetConfiguration> = {}): TargetConfiguration => ({
    executor: `${PLUGIN}:${executor}`,
    options: { config },
    cache: true,
    outputs,
    ...extra,
  });
  return {
    inspect: target('inspect', ['{projectRoot}/tools.lock.json'], {
      // The lock file too: a reviewed lock-file change marks the dataset affected (and is re-checked).
      inputs: [config, '{projectRoot}/tools.lock.json', '^default', ...sources, external],
      metadata: { description: 'List the MCP server tools into tools.lock.json.' },
    }),
    // The drift check asks the server every time: a server started with `npx -y` (or over HTTP) can
    // change its tools without any file Nx hashes changing, so a cached "no drift" would be a lie.
    // `nx run <ds>:inspect:check` resolves to this target (Nx prefers the longest target name).
    'inspect:check': {
      executor: `${PLUGIN}:inspect`,
      options: { config, check: true },
      cache: false,
      metadata: { description: 'Fail when the server\'s tools drifted from tools.lock.json (never cached: always asks the server).' },
    },
    generate: target('generate', [`${out}/seeds.jsonl`, `${out}/generate.rejected.jsonl`, `${out}/plan.json`, `${out}/usage.json`], {
      dependsOn: ['inspect'],
      inputs: [config, '^default', upstream, ...sources, external, provider],
      metadata: { description: 'Plan and generate the seed conversations.' },
    }),
    augment: target('augment', [`${out}/augmented.jsonl`, `${out}/augment.json`], {
      dependsOn: ['generate'],
      inputs: [config, '^default', upstream, ...sources, external],
      metadata: { description: 'Expand the seeds by augmentation.factor.' },
    }),
    qc: target('qc', [`${out}/accepted.jsonl`, `${out}/rejected.jsonl`, `${out}/qc.json`], {
      dependsOn: ['augment'],
      inputs: [config, upstream, ...sources, external],
      metadata: { description: 'Rule checks, judge, dedup and the threshold gate.' },
    }),
    synthesize: target('synthesize', [`${out}/train.jsonl`, `${out}/eval.jsonl`, `${out}/eval.truth.jsonl`, `${out}/openai`, `${out}/sharegpt`, `${out}/hermes`, `${out}/hf`, `${out}/report.html`, `${out}/report.md`, `${out}/report.json`, `${out}/README.md`], {
      dependsOn: ['qc'],
      inputs: [config, upstream, ...sources, external],
      metadata: { description: 'Mix, split, write the formats, the report and the dataset card.' },
    }),
    // Not in synthesize's chain (no dependsOn): evaluating must never rebuild the dataset against the
    // endpoint under test. Hashed on the eval split's content and the endpoint (runtime input) and the
    // options (model, compare, baseURL); never on a key.
    evaluate: target('evaluate', [`${out}/eval.json`, `${out}/eval.md`, `${out}/eval.html`], {
      inputs: [config, ...sources, external, { runtime: `node ${relative(workspaceRoot, resolve(__dirname, '..', 'bin', 'eval-key.js'))} ${join(out.replace('{workspaceRoot}/', ''), 'eval.truth.jsonl')}` }],
      metadata: { description: "Score a model on the eval split with BFCL's AST rules (--model M [--compare M2] [--baseURL URL]); run synthesize first." },
    }),
  };
}

export const createNodes: CreateNodes<ForgePluginOptions> = [
  FORGE_GLOB,
  (files, options, context: CreateNodesContext) =>
    createNodesFromFiles<ForgePluginOptions>(
      (file, _opts, ctx) => {
        const projectRoot = dirname(file);
        const name = projectRoot.split('/').pop()!;
        return {
          projects: {
            [projectRoot]: {
              name,
              root: projectRoot,
              projectType: 'application',
              tags: ['type:dataset'],
              targets: datasetTargets(projectRoot, file, ctx.workspaceRoot),
            },
          },
        };
      },
      files.filter((f) => isDatasetFile(f, options?.datasets)),
      options ?? {},
      context,
    ),
];

/** Deprecated alias that Nx 24 still reads. */
export const createNodesV2 = createNodes;

export const createDependencies: CreateDependencies<ForgePluginOptions> = (options, context) => {
  const deps: RawProjectGraphDependency[] = [];
  const roots = Object.entries(context.projects).map(([name, p]) => ({ name, root: p.root }));
  for (const [project, files] of Object.entries(context.filesToProcess.projectFileMap)) {
    for (const f of files) {
      if (!isDatasetFile(f.file, options?.datasets)) continue;
      const facts = readForgeFile(join(context.workspaceRoot, f.file));
      const targets = new Set(facts.serverProjects.filter((p) => context.projects[p]));
      // A server started from a file inside another project depends on that project too.
      for (const arg of facts.serverArgs) {
        const abs = resolve(context.workspaceRoot, dirname(f.file), arg);
        if (!existsSync(abs)) continue;
        const rel = relative(context.workspaceRoot, abs).split(sep).join('/');
        const owner = roots.filter((r) => r.root && r.root !== '.' && (rel === r.root || rel.startsWith(`${r.root}/`))).sort((a, b) => b.root.length - a.root.length)[0];
        if (owner && owner.name !== project) targets.add(owner.name);
      }
      for (const target of targets) deps.push({ source: project, target, type: DependencyType.static, sourceFile: f.file });
    }
  }
  return deps;
};
