// `mcp-forge inspect`: list a server's tools (as the lock file would record them).
import { resolve } from 'node:path';
import { inspectServers, parseCommandLine, parseConfigText, serializeLock, writeFileAtomic, ForgeError, loadConfig, type Logger } from '@mcp-forge/core';

export async function inspectCommand(opts: { server?: string; config?: string; out?: string; timeout?: number }, log: Logger, cwd = process.cwd()): Promise<void> {
  let servers;
  if (opts.config) servers = (await loadConfig(resolve(cwd, opts.config), { workspaceRoot: cwd })).servers;
  else if (opts.server) {
    const { command, args } = parseCommandLine(opts.server);
    const text = JSON.stringify({ server: { command, args, cwd, ...(opts.timeout ? { startupTimeoutMs: opts.timeout } : {}) } });
    servers = parseConfigText(text, resolve(cwd, 'forge.config.json'), { workspaceRoot: cwd }).servers;
  } else throw new ForgeError('INPUT', 'Give the MCP server to inspect: --server "<command>" or --config forge.yaml.');
  const { lock, warnings } = await inspectServers(servers);
  for (const w of warnings) log.warn(w);
  const text = serializeLock(lock);
  if (opts.out) {
    writeFileAtomic(resolve(cwd, opts.out), text);
    log.info(`Wrote ${lock.tools.length} tools to ${resolve(cwd, opts.out)}`);
  } else process.stdout.write(text);
}
