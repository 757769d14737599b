// Command line: `openai-test-server --port 8787 --latency-ms 50 --rpm 600 --fault-429 0.2 --fault-500 0.05`.
// Prints the base URL on start and runs until interrupted.
import { optionsFromArgs, USAGE } from './cli-options';
import { startTestServer } from './server';

async function main(): Promise<void> {
  let options: ReturnType<typeof optionsFromArgs>;
  try {
    options = optionsFromArgs(process.argv.slice(2));
    if (options.help) {
      console.log(USAGE);
      process.exit(0);
    }
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const server = await startTestServer(options);
  console.log(server.url);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
