/**
 * Logs that say what happened: one line per event on stderr, a timestamp, a level, a sentence,
 * then key=value fields. Quiet by level; never throws.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'quiet';
export type LogFunction = (message: string, fields?: Record<string, unknown>) => void;

export interface Logger {
  readonly debug: LogFunction;
  readonly info: LogFunction;
  readonly warn: LogFunction;
}

const rank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, quiet: 3 };

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const at =
    (lineLevel: Exclude<LogLevel, 'quiet'>): LogFunction =>
    (message, fields) => {
      if (rank[lineLevel] < rank[level]) return;
      let line = `${new Date().toISOString()} ${lineLevel} ${message}`;
      for (const [key, value] of Object.entries(fields ?? {})) {
        if (value === undefined) continue;
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        line += ` ${key}=${/[\s"]/.test(text) ? JSON.stringify(text) : text}`;
      }
      write(line + '\n');
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn') };
}
