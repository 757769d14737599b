// `mcp-forge generate`: the whole pipeline without an Nx project, into one output directory.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
    doc = parseDocument(readFileSync(filepath, 'utf8'));
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

export async function generateCommand(opts: GenerateOptions, log: Logger, cwd = process.cwd()): Promise<void> {
  const out = resolve(cwd, opts.out ?? 'forge-out');
  if (existsSync(out) && !statSync(out).isDirectory()) {
    throw new ForgeError('INPUT', `--out ${opts.out}: ${out} is a file, not a directory.`, 'Give a directory for the dataset (it is created when missing).');
  }
  const { text, filepath } = configText(opts, cwd);
  const cfg = opts.config ? parseConfigText(text, filepath, { workspaceRoot: cwd }) : configFromFlags(text, filepath, cwd);
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
