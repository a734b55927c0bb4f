import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines for machines; when stderr is a terminal a short readable line instead. */
export function createLogger(options: { debug?: boolean; silent?: boolean; name?: string } = {}): Logger {
  const level = options.silent ? 'silent' : options.debug ? 'debug' : 'info';
  return pino(
    { level, base: { component: options.name ?? 'main' } },
    pino.destination({ fd: 2, sync: false }),
  );
}
