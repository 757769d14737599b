import { ForgeError } from '../errors';
import { formatCommandLine, parseCommandLine } from './command-line';

describe('parseCommandLine', () => {
  it.each([
    ['npx -y @modelcontextprotocol/server-memory', 'npx', ['-y', '@modelcontextprotocol/server-memory']],
    ['  node   server.js  ', 'node', ['server.js']],
    [`node "my server.js" --name 'it''s'`, 'node', ['my server.js', '--name', 'its']],
    [`cmd 'single "keeps" \\ backslash'`, 'cmd', ['single "keeps" \\ backslash']],
    [`cmd "a \\"quoted\\" \\\\ \\n word"`, 'cmd', ['a "quoted" \\ \\n word']],
    ['cmd a\\ b c\\"d', 'cmd', ['a b', 'c"d']],
    [`cmd "" ''`, 'cmd', ['', '']],
    ['cmd --x=1\\\n  --y=2', 'cmd', ['--x=1', '--y=2']],
    [`cmd pre"mid"'post'`, 'cmd', ['premidpost']],
  ])('%s', (line, command, args) => {
    expect(parseCommandLine(line)).toEqual({ command, args });
  });

  it.each([
    [`node "server.js`, /unbalanced double quote at column 6/],
    [`node 'server.js`, /unbalanced single quote at column 6/],
    ['node server.js\\', /trailing backslash/],
    ['   ', /empty/],
  ])('rejects %j', (line, message) => {
    expect(() => parseCommandLine(line)).toThrow(message);
    try {
      parseCommandLine(line);
    } catch (err) {
      expect(err).toBeInstanceOf(ForgeError);
      expect((err as ForgeError).code).toBe('INPUT');
    }
  });

  it('round-trips through formatCommandLine', () => {
    const args = ['-y', 'pkg@1.0', 'with space', "it's", '', '$HOME'];
    const line = formatCommandLine('npx', args);
    expect(line).toBe(`npx -y pkg@1.0 'with space' 'it'\\''s' '' '$HOME'`);
    expect(parseCommandLine(line)).toEqual({ command: 'npx', args });
  });
});
