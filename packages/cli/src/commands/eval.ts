// `mcp-forge eval <dataset dir | eval file> --model M [--base-url URL] [--compare M2]`: scores models
// served behind an OpenAI-compatible endpoint on the eval split with BFCL's AST rules, and
// `--export bfcl DIR` writes the split as BFCL question / possible_answer files instead.
import { resolve } from 'node:path';
import { exportBfcl, ForgeError, readTruth, runEvaluate, type Logger } from '@mcp-forge/core';

export interface EvalCommandOptions {
  model?: string;
  compare?: string[];
  baseUrl?: string;
  out?: string;
  export?: string;
  concurrency?: number;
}

export async function evalCommand(input: string, exportDir: string | undefined, opts: EvalCommandOptions, log: Logger, cwd = process.cwd()): Promise<number> {
  const env = process.env;
  if (opts.export !== undefined) {
    if (opts.export !== 'bfcl') throw new ForgeError('INPUT', `--export ${opts.export}: unknown export format.`, 'The one export format is bfcl: `mcp-forge eval <dataset> --export bfcl <dir>`.');
    if (!exportDir) throw new ForgeError('INPUT', '--export bfcl needs a directory to write into.', 'Run `mcp-forge eval <dataset> --export bfcl <dir>`.');
    const truth = await readTruth(resolve(cwd, input), { root: cwd, env });
    const result = exportBfcl(truth.rows, resolve(cwd, exportDir));
    log.info(`eval: wrote BFCL files for ${truth.rows.length} rows to ${result.dir} (${Object.entries(result.counts).map(([c, n]) => `${c} ${n}`).join(', ')})`);
    return 0;
  }
  if (exportDir) throw new ForgeError('INPUT', `Unexpected argument ${exportDir}.`, 'Pass one dataset directory or eval file (a second path is only for --export bfcl <dir>).');
  if (!opts.model) throw new ForgeError('INPUT', 'mcp-forge eval needs --model.', 'Pass --model <name>: the model name your endpoint serves (vLLM --served-model-name, an Ollama tag).');
  await runEvaluate({
    input: resolve(cwd, input),
    models: [opts.model, ...(opts.compare ?? [])],
    baseURL: opts.baseUrl,
    outDir: opts.out ? resolve(cwd, opts.out) : undefined,
    concurrency: opts.concurrency,
    env,
    root: cwd,
    log,
  });
  return 0;
}
