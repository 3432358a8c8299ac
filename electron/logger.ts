/** The main process's logger, passed in so modules and tests never write to a global console. */
export type Logger = {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
};

type Level = 'info' | 'warn' | 'error';

/** One JSON line per entry on stderr: readable in a terminal, parseable by a log collector. */
export function createStderrLogger(
  write: (line: string) => void,
  now: () => Date = () => new Date(),
): Logger {
  const log = (level: Level, message: string, details?: Record<string, unknown>): void => {
    const entry = { ...details, time: now().toISOString(), level, message };
    write(`${JSON.stringify(entry)}\n`);
  };
  return {
    info: (message, details) => {
      log('info', message, details);
    },
    warn: (message, details) => {
      log('warn', message, details);
    },
    error: (message, details) => {
      log('error', message, details);
    },
  };
}

/** Error objects do not survive JSON.stringify; keep what a person needs to diagnose. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
