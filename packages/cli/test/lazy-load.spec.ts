// `mcp-forge --help` (and option errors) load commander only: @mcp-forge/core and its dependencies
// (MCP SDK, openai, ajv, ...) are loaded by the command that runs. Checked on the built CLI in a child
// process by the modules in require.cache, not by timing (docs/benchmarks.md has the timings).
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../../..');
const MAIN = join(REPO, 'packages/cli/dist/main.js');

function loadedAfter(args: string[]): string[] {
  const script = `
    const { main } = require(${JSON.stringify(MAIN)});
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = () => true; process.stderr.write = () => true;
    main(['node', 'mcp-forge', ...${JSON.stringify(args)}]).then((code) => {
      write(JSON.stringify({ code, modules: Object.keys(require.cache) }));
    });`;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
  return out.modules.map((m: string) => m.split('/node_modules/').pop()!.replace(REPO, ''));
}

const heavy = (mods: string[]) => mods.filter((m) => /packages\/core\/|^@mcp-forge\/core|^@modelcontextprotocol|^openai\/|^ajv\/|^@faker-js|^cacache/.test(m));

describe('CLI start-up loads only what the command needs', () => {
  it('--help and --version load neither core nor its dependencies', () => {
    expect(heavy(loadedAfter(['--help']))).toEqual([]);
    expect(heavy(loadedAfter(['--version']))).toEqual([]);
    expect(heavy(loadedAfter(['generate', '--help']))).toEqual([]);
  });

  it('a command that runs loads core (the check above can fail)', () => {
    const mods = loadedAfter(['inspect']);
    expect(heavy(mods).some((m) => m.includes('packages/core/dist/'))).toBe(true);
  });
});
