// `mcp-forge`: generate, inspect, qc and eval over @mcp-forge/core, no Nx needed.
// Start-up stays fast: this file loads only commander. @mcp-forge/core (the MCP SDK, openai, ajv, ...)
// and a command's module are loaded by that command's action, with `await import('./commands/<name>')`
// and `await logger()`: a new command does the same (see docs/benchmarks.md, CLI start-up).
import { Command, InvalidArgumentError } from 'commander';
import type { Logger } from '@mcp-forge/core';

/** The CLI's logger; loading it loads @mcp-forge/core, so only actions call it. */
async function logger(): Promise<Logger> {
  return (await import('./progress')).cliLogger();
}

function version(): string {
  try {
    return require('../package.json').version;
  } catch {
    return '0.0.0';
  }
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an integer >= 0');
  return n;
}

function positiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 1) throw new InvalidArgumentError('expected a number >= 1');
  return n;
}

export function buildProgram(onCode: (code: number) => void): Command {
  const program = new Command('mcp-forge')
    .description('Build fine-tuning datasets for tool-calling LLMs from the tools of MCP servers.')
    .version(version())
    .showHelpAfterError()
    .exitOverride();
  program
    .command('generate')
    .description('Run the whole pipeline (inspect, generate, augment, qc, synthesize) into one directory.')
    .option('--server <cmd>', 'MCP server command line (stdio), e.g. "npx -y @modelcontextprotocol/server-memory"')
    .option('--samples <n>', 'number of seed samples', positiveInt)
    .option('--config <file>', 'forge.yaml to use (command-line options override it)')
    .option('--out <dir>', 'output directory (default: output.dir of --config, else forge-out)')
    .option('--provider <name>', 'auto | openai | offline')
    .option('--model <model>', 'generator model (default gpt-5)')
    .option('--batch', 'use the OpenAI Batch API')
    .option('--dry-run', 'print the plan and a cost estimate; make no model request')
    .option('--factor <n>', 'augmentation factor', positiveNumber)
    .option('--name <name>', 'dataset name')
    .option('--seed <n>', 'random seed (an integer >= 0)', nonNegativeInt)
    .option('--formats <list>', 'output formats, comma-separated: hf,hermes,openai,sharegpt', (v: string) => v.split(',').map((s) => s.trim()))
    .action(async (opts) => {
      const { generateCommand } = await import('./commands/generate');
      await generateCommand(opts, await logger());
      onCode(0);
    });
  program
    .command('inspect')
    .description("List an MCP server's tools as tools.lock.json would record them.")
    .option('--server <cmd>', 'MCP server command line (stdio)')
    .option('--config <file>', 'forge.yaml whose servers to inspect')
    .option('--out <file>', 'write the lock file here instead of printing it')
    .option('--timeout <ms>', 'startup timeout in milliseconds', positiveInt)
    .action(async (opts) => {
      const { inspectCommand } = await import('./commands/inspect');
      await inspectCommand(opts, await logger());
      onCode(0);
    });
  program
    .command('qc <file>')
    .description('Check a Hermes-, OpenAI- or ShareGPT-format JSONL dataset; exit 1 when a threshold is missed.')
    .option('--tools <file>', 'tool schemas: tools.lock.json, an MCP tools/list result or an OpenAI tools array (default: the tools the rows carry)')
    .option('--config <file>', 'forge.yaml for thresholds, dedup settings and the judge')
    .option('--out <dir>', 'write accepted.jsonl and rejected.jsonl here')
    .option('--json', 'print the metrics as JSON')
    .action(async (file: string, opts) => {
      const { qcCommand } = await import('./commands/qc');
      onCode(await qcCommand(file, opts, await logger()));
    });
  program
    .command('eval <dataset> [dir]')
    .description("Score models on a dataset's eval split (BFCL's AST rules) through an OpenAI-compatible endpoint, or --export bfcl <dir>.")
    .option('--model <model>', 'model to evaluate (the name the endpoint serves)')
    .option('--compare <model...>', 'more models to score side by side')
    .option('--base-url <url>', 'OpenAI-compatible endpoint (default OPENAI_BASE_URL, then OpenAI)')
    .option('--out <dir>', 'where eval.json, eval.md and eval.html go (default: beside the eval split)')
    .option('--concurrency <n>', 'requests in flight', positiveInt)
    .option('--export <format>', 'write the eval split in this format instead (bfcl) into [dir]')
    .action(async (dataset: string, dir: string | undefined, opts) => {
      const { evalCommand } = await import('./commands/eval');
      onCode(await evalCommand(dataset, dir, opts, await logger()));
    });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    const e = err as { code?: string; exitCode?: number };
    if (typeof e.code === 'string' && e.code.startsWith('commander.')) return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : (e.exitCode ?? 1);
    const { describeError, ForgeError } = await import('@mcp-forge/core');
    console.error(`mcp-forge: ${describeError(err)}`);
    if (process.env.FORGE_DEBUG && err instanceof Error) console.error(err.stack);
    // 1: the data missed a QC threshold; 2: anything else went wrong.
    return err instanceof ForgeError && err.code === 'GATE' ? 1 : 2;
  }
}
