/** A dependency-free structured logger for the worker: JSON lines on stderr. */
import { isoTimestamp } from './isoTime.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface WorkerLog {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createWorkerLog(options: { debug?: boolean; silent?: boolean } = {}): WorkerLog {
  const min = options.silent ? Infinity : options.debug ? RANK.debug : RANK.info;
  const write = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < min) return;
    const line = { level, time: isoTimestamp(), component: 'worker', msg, ...fields };
    process.stderr.write(JSON.stringify(line, errorReplacer) + '\n');
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
