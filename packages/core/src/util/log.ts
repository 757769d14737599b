// Progress and messages go through one small interface so the Nx executors, the CLI and the tests
// can each decide where they end up (Nx logger, a terminal progress bar, a buffer).
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  /** Progress of a long step: `done` of `total` items. */
  progress?(label: string, done: number, total: number): void;
}

export const consoleLogger: Logger = {
  info: (m) => console.log(m),
  warn: (m) => console.warn(m),
  error: (m) => console.error(m),
};

export function bufferLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warn: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
}

/** Progress lines for non-terminals: at most one line per 10% step. */
export function progressLines(log: Logger): NonNullable<Logger['progress']> {
  const last = new Map<string, number>();
  return (label, done, total) => {
    const step = total ? Math.floor((done / total) * 10) : 10;
    if (last.get(label) === step && done !== total) return;
    last.set(label, step);
    log.info(`${label}: ${done}/${total}`);
  };
}
