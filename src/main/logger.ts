import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines on stderr, in the same shape as the worker's (level names, ISO times). */
export function createLogger(options: { debug?: boolean; silent?: boolean; name?: string } = {}): Logger {
  const level = options.silent ? 'silent' : options.debug ? 'debug' : 'info';
  return pino(
    {
      level,
      base: { component: options.name ?? 'main' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ fd: 2, sync: false }),
  );
}
