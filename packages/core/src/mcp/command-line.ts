// `--server "<cmd>"` arrives as one string: split it the way a POSIX shell would (quotes and
// backslash escapes), but without running a shell, so nothing is expanded or executed.
import { ForgeError } from '../errors';

export interface CommandLine {
  command: string;
  args: string[];
}

/**
 * Splits a command line into a command and its arguments.
 * Single quotes keep everything literally; double quotes allow `\"`, `\\`, `\$` and `` \` `` escapes;
 * outside quotes a backslash escapes the next character. Throws on unbalanced quotes.
 */
export function parseCommandLine(line: string): CommandLine {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const fail = (what: string) =>
    new ForgeError('INPUT', `Cannot parse the server command line: ${what} in: ${line}`, 'Close the quote or escape it with a backslash.');
  while (i < line.length) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw fail(`unbalanced single quote at column ${i + 1}`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= line.length) throw fail(`unbalanced double quote at column ${i + 1}`);
        const d = line[j];
        if (d === '"') break;
        if (d === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1])) {
          word += line[j + 1];
          j += 2;
        } else {
          word += d;
          j += 1;
        }
      }
      inWord = true;
      i = j + 1;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw fail('trailing backslash');
      // A backslash-newline is a line continuation, as in a shell.
      if (line[i + 1] !== '\n') {
        word += line[i + 1];
        inWord = true;
      }
      i += 2;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i += 1;
    } else {
      word += c;
      inWord = true;
      i += 1;
    }
  }
  if (inWord) words.push(word);
  if (words.length === 0) throw new ForgeError('INPUT', 'The server command line is empty.', 'Give the command that starts the MCP server, e.g. --server "npx -y @modelcontextprotocol/server-memory".');
  return { command: words[0], args: words.slice(1) };
}

/** The inverse, for labels and messages: quotes only the words that need it. */
export function formatCommandLine(command: string, args: string[] = []): string {
  return [command, ...args].map(quoteWord).join(' ');
}

function quoteWord(word: string): string {
  if (word !== '' && /^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
