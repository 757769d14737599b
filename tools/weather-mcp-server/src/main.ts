// Command line: `weather-mcp-server` serves MCP over stdio; `weather-mcp-server --http <port>` serves
// Streamable HTTP on 127.0.0.1 (port 0 picks a free one; the URL is printed on stderr).
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { startHttpServer } from './http';
import { createWeatherServer } from './server';

const USAGE = 'Usage: weather-mcp-server [--http <port>]\n  (no option)    serve MCP over stdio\n  --http <port>  serve Streamable HTTP on http://127.0.0.1:<port>/mcp (0 = any free port)\n';

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const at = argv.indexOf('--http');
  if (at >= 0) {
    const port = Number(argv[at + 1]);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      process.stderr.write(`weather-mcp-server: --http needs a port number (0-65535), got "${argv[at + 1] ?? ''}"\n${USAGE}`);
      process.exit(2);
    }
    const { url } = await startHttpServer(port);
    process.stderr.write(`weather-mcp-server listening on ${url}\n`);
    return;
  }
  if (argv.length > 0) {
    process.stderr.write(`weather-mcp-server: unknown arguments: ${argv.join(' ')}\n${USAGE}`);
    process.exit(2);
  }
  await createWeatherServer().connect(new StdioServerTransport());
  process.stderr.write('weather-mcp-server running on stdio\n');
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`weather-mcp-server: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
