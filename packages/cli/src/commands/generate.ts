// `mcp-forge generate`: the whole pipeline without an Nx project, into one output directory.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError, ForgeError, parseCommandLine, parseConfigText, runAll, writeFileAtomic, type ForgeConfig, type Logger } from '@mcp-forge/core';

export interface GenerateOptions {
  server?: string;
  samples?: number;
  config?: string;
  out?: string;
  provider?: string;
  model?: string;
  batch?: boolean;
  dryRun?: boolean;
  factor?: number;
  name?: string;
  seed?: number;
  formats?: string[];
}

/** forge.yaml text for a one-shot run: the file given with --config, or one made from --server. */
export function configText(opts: GenerateOptions, cwd: string): { text: string; filepath: string } {
  let doc;
  let filepath: string;
  if (opts.config) {
    filepath = resolve(cwd, opts.config);
    if (!existsSync(filepath)) throw new ForgeError('INPUT', `--config ${opts.config}: file not found (${filepath}).`);
    if (statSync(filepath).isDirectory()) throw new ForgeError('INPUT', `--config ${opts.config}: ${filepath} is a directory.`, 'Give the path of a forge.yaml file.');
    const original = readFileSync(filepath, 'utf8');
    doc = parseYaml(original, filepath);
    // Nothing to override: the file is used exactly as written (its problems reported at its lines).
    if (!overrides(opts)) return { text: original, filepath };
  } else {
    if (!opts.server) throw new ForgeError('INPUT', 'Give the MCP server to read tools from: --server "<command>" (or a forge.yaml with --config).');
    filepath = join(resolve(cwd, opts.out ?? 'forge-out'), 'forge.yaml');
    doc = parseDocument('# Written by `mcp-forge generate`: run it again with --config to rebuild the same dataset.\n{}\n');
  }
  if (opts.server) {
    const { command, args } = parseCommandLine(opts.server);
    doc.set('server', doc.createNode({ command, args, cwd }));
  }
  const set = (path: string[], value: unknown) => {
    if (value !== undefined) doc.setIn(path, doc.createNode(value));
  };
  set(['name'], opts.name);
  set(['samples'], opts.samples);
  set(['generator', 'provider'], opts.provider);
  set(['generator', 'model'], opts.model);
  set(['generator', 'batch'], opts.batch);
  set(['augmentation', 'factor'], opts.factor);
  set(['seed'], opts.seed);
  set(['output', 'formats'], opts.formats);
  return { text: doc.toString(), filepath };
}

const overrides = (opts: GenerateOptions) =>
  [opts.server, opts.name, opts.samples, opts.provider, opts.model, opts.batch, opts.factor, opts.seed, opts.formats].some((v) => v !== undefined);

/**
 * The YAML document to edit with the options. A file with a YAML problem (duplicate key, tab, unclosed
 * quote, two documents, nesting too deep) is reported as the config loader reports it: file:line:column.
 */
function parseYaml(text: string, filepath: string) {
  let doc: ReturnType<typeof parseDocument> | undefined;
  try {
    doc = parseDocument(text);
  } catch {
    doc = undefined;
  }
  if (doc && !doc.errors.length) return doc;
  parseConfigText(text, filepath); // throws the ConfigError with the file and line
  const first = doc?.errors[0];
  const where = first?.linePos?.[0] ? `:${first.linePos[0].line}:${first.linePos[0].col}` : '';
  throw new ForgeError('CONFIG', `${filepath}${where}: ${first?.message ?? 'not valid YAML'}`, 'Fix the YAML; the schema is packages/core/src/config/forge.schema.json.');
}

export async function generateCommand(opts: GenerateOptions, log: Logger, cwd = process.cwd()): Promise<void> {
  const { text, filepath } = configText(opts, cwd);
  const cfg = opts.config ? parseConfigText(text, filepath, { workspaceRoot: cwd }) : configFromFlags(text, filepath, cwd);
  // --out wins; else output.dir of the --config file (already resolved inside the workspace); else forge-out.
  const out = outputDir(opts, cfg, cwd);
  if (opts.dryRun) {
    // A dry run reads the server's tools into a throwaway lock and writes nothing under --out.
    const scratch = mkdtempSync(join(tmpdir(), 'mcp-forge-dry-'));
    try {
      await runAll({ config: cfg, root: cwd, outDir: scratch, lockPath: join(scratch, 'tools.lock.json'), projectName: opts.name ?? 'dataset', dryRun: true, log });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    return;
  }
  mkdirSync(out, { recursive: true });
  await runAll({ config: cfg, root: cwd, outDir: out, lockPath: join(out, 'tools.lock.json'), projectName: opts.name ?? 'dataset', log });
  // The config that made the dataset, kept beside it (only once the build succeeded).
  if (!opts.config) writeFileAtomic(filepath, text);
  log.info(`Dataset written to ${out} (report: ${join(out, 'report.html')})`);
}

function outputDir(opts: GenerateOptions, cfg: ForgeConfig, cwd: string): string {
  const given = opts.out !== undefined ? `--out ${opts.out}` : cfg.output.dir !== undefined ? `output.dir of ${opts.config}` : '--out forge-out';
  const out = opts.out !== undefined ? resolve(cwd, opts.out) : (cfg.output.dir ?? resolve(cwd, 'forge-out'));
  if (existsSync(out) && !statSync(out).isDirectory()) {
    throw new ForgeError('INPUT', `${given}: ${out} is a file, not a directory.`, 'Give a directory for the dataset (it is created when missing).');
  }
  const rel = relative(out, resolve(cwd));
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    // The dataset card (README.md), train.jsonl, ... would overwrite the project's own files.
    throw new ForgeError('INPUT', `${given}: ${out} is the current directory${rel ? ' or one of its parents' : ''}; the outputs (README.md, train.jsonl, reports) would overwrite its files.`, 'Give a directory of its own for the dataset, e.g. --out forge-out.');
  }
  return out;
}

/** The option that set each config field of a one-shot run (no --config). */
const FLAGS: [string, string][] = [
  ['server', '--server'],
  ['samples', '--samples'],
  ['generator.provider', '--provider'],
  ['generator.model', '--model'],
  ['generator.batch', '--batch'],
  ['augmentation.factor', '--factor'],
  ['output.formats', '--formats'],
  ['name', '--name'],
  ['seed', '--seed'],
];

/**
 * Without --config the config is made from the options, and its file does not exist yet (it is written
 * after a successful build): a problem is reported against the option, not a line of that file.
 */
function configFromFlags(text: string, filepath: string, cwd: string): ForgeConfig {
  try {
    return parseConfigText(text, filepath, { workspaceRoot: cwd });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const lines = err.issues.map((i) => {
      const flag = FLAGS.find(([path]) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`))?.[1];
      return `${flag ? `${flag} (${i.path})` : i.path}: ${i.message}`;
    });
    throw new ForgeError('INPUT', lines.join('\n'), 'See `mcp-forge generate --help` for the accepted values.');
  }
}
