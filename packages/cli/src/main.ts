// `mcp-forge`: generate, inspect and qc over @mcp-forge/core, no Nx needed.
import { Command, InvalidArgumentError } from 'commander';
import { describeError, ForgeError } from '@mcp-forge/core';
import { cliLogger } from './progress';
import { generateCommand } from './commands/generate';
import { inspectCommand } from './commands/inspect';
import { qcCommand } from './commands/qc';

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
  const log = cliLogger();
  const program = new Command('mcp-forge')
    .description('Build fine-tuning datasets for tool-calling LLMs from the tools of MCP servers.')
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
    .option('--formats <list>', 'output formats, comma-separated: hermes,openai,sharegpt', (v: string) => v.split(',').map((s) => s.trim()))
    .action(async (opts) => {
      await generateCommand(opts, log);
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
      await inspectCommand(opts, log);
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
      onCode(await qcCommand(file, opts, log));
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
    console.error(`mcp-forge: ${describeError(err)}`);
    if (process.env.FORGE_DEBUG && err instanceof Error) console.error(err.stack);
    // 1: the data missed a QC threshold; 2: anything else went wrong.
    return err instanceof ForgeError && err.code === 'GATE' ? 1 : 2;
  }
}
