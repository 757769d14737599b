// The forge.yaml a new dataset starts from: the server, and the defaults of forge.schema.json written
// out (scenario mix, augmented share, formats, seed) so that they are easy to see and edit.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Document, isMap, isScalar, isSeq } from 'yaml';
import { parseCommandLine } from '@mcp-forge/core';

export interface ForgeYamlInput {
  name: string;
  /** Workspace root and the new dataset's directory (absolute). */
  root: string;
  datasetDir: string;
  /** The --server option as typed. */
  server: string;
  /** Directory the --server paths are relative to (where nx was run). */
  cwd: string;
  samples: number;
  project?: string;
  description?: string;
  /** server.startupTimeoutMs, written when given. */
  startupTimeoutMs?: number;
  /** tools.include: only these tools. */
  tools?: string[];
}

/** forge.schema.json of the installed @mcp-forge/core (for the editor comment and the defaults). */
export function forgeSchemaPath(): string {
  const core = dirname(require.resolve('@mcp-forge/core/package.json'));
  // In this repository the committed source; in an installed @mcp-forge/core the copy in dist/.
  const source = join(core, 'src', 'config', 'forge.schema.json');
  return existsSync(source) ? source : join(core, 'dist', 'config', 'forge.schema.json');
}

const posix = (p: string) => p.split(sep).join('/');
const inside = (root: string, p: string) => p === root || p.startsWith(`${root}${sep}`);

/**
 * A path argument as forge.yaml must hold it: relative to the dataset directory (the server's cwd).
 * Words that are not existing paths (flags, package names, URLs) are kept as typed; absolute paths
 * outside the workspace too.
 */
export function datasetRelativeArg(word: string, input: Pick<ForgeYamlInput, 'root' | 'datasetDir' | 'cwd'>): string {
  if (word.startsWith('-') || /^[a-z][a-z0-9+.-]*:\/\//i.test(word)) return word;
  const abs = isAbsolute(word) ? word : resolve(input.cwd, word);
  if (!existsSync(abs)) return word;
  if (isAbsolute(word) && !inside(input.root, abs)) return word;
  const rel = posix(relative(input.datasetDir, abs));
  return rel === '' ? '.' : rel;
}

/** The `server` entry for the --server option: a URL, or a command line split like a shell would. */
export function serverEntry(input: Pick<ForgeYamlInput, 'root' | 'datasetDir' | 'cwd' | 'server' | 'project' | 'startupTimeoutMs'>): Record<string, unknown> {
  const project = { ...(input.project ? { project: input.project } : {}), ...(input.startupTimeoutMs ? { startupTimeoutMs: input.startupTimeoutMs } : {}) };
  if (/^https?:\/\//i.test(input.server.trim())) return { url: input.server.trim(), ...project };
  const { command, args } = parseCommandLine(input.server);
  // A command given as a path (./bin/server) moves with the dataset too; a bare name stays on PATH.
  const cmd = command.includes('/') ? datasetRelativeArg(command, input) : command;
  return { command: cmd, args: args.map((a) => datasetRelativeArg(a, input)), ...project };
}

export function renderForgeYaml(input: ForgeYamlInput): string {
  const schemaPath = forgeSchemaPath();
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
  const props = schema.properties;
  const data: Record<string, unknown> = { name: input.name };
  if (input.description) data.description = input.description;
  data.server = serverEntry(input);
  if (input.tools?.length) data.tools = { include: input.tools };
  data.samples = input.samples;
  data.scenarios = props.scenarios.default;
  data.execution = props.execution.default;
  data.mix = { maxAugmentedShare: props.mix.properties.maxAugmentedShare.default };
  data.output = { formats: ['hf', 'hermes', 'openai', 'sharegpt'] };
  data.seed = props.seed.default;

  const doc = new Document(data);
  const schemaRef = posix(relative(input.datasetDir, schemaPath));
  const comments: Record<string, string> = {
    name: ` yaml-language-server: $schema=${schemaRef}\n Dataset ${input.name}: build it with \`nx run ${input.name}:synthesize\`. The schema above describes every field.`,
    execution: ' auto: tools annotated readOnlyHint (and not openWorldHint) run live on the server; the others are simulated.',
    mix: ' Augmentation makes as many variants as this share of the final set keeps (x1.5 to choose from); set augmentation.factor for a larger pool.',
  };
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (isScalar(pair.key) && comments[String(pair.key.value)]) pair.key.commentBefore = comments[String(pair.key.value)];
    }
  }
  for (const path of [['server', 'args'], ['output', 'formats']]) {
    const seq = doc.getIn(path, true);
    if (isSeq(seq)) seq.flow = true;
  }
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
