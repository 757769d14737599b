// Progress: a redrawn bar on a terminal, plain lines (one per 10%) in CI logs and pipes.
import { consoleLogger, progressLines, type Logger } from '@mcp-forge/core';

export function cliLogger(stream: NodeJS.WriteStream = process.stderr): Logger {
  const tty = stream.isTTY && !process.env.CI;
  if (!tty) return { ...consoleLogger, info: (m) => console.log(m), progress: progressLines({ ...consoleLogger, info: (m) => stream.write(`${m}\n`) }) };
  let open = false;
  const clear = () => {
    if (open) stream.write('\r\x1b[2K');
    open = false;
  };
  return {
    info: (m) => {
      clear();
      console.log(m);
    },
    warn: (m) => {
      clear();
      console.warn(m);
    },
    error: (m) => {
      clear();
      console.error(m);
    },
    progress: (label, done, total) => {
      const width = 30;
      const filled = total ? Math.round((done / total) * width) : width;
      stream.write(`\r\x1b[2K${label.padEnd(10)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total || '?'}`);
      open = true;
      if (total && done >= total) clear();
    },
  };
}
