/** A dependency-free structured logger for the worker: JSON lines on stderr. */
import { nowIso } from '../protocol/isoTime.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface WorkerLog {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Lines logged during one turn of the event loop are written together: stderr to a file or a pipe
 * is written synchronously, one system call per write, and a busy worker logs every task it
 * finishes. Whatever is pending when the process exits is written then.
 */
export function createWorkerLog(options: { debug?: boolean; silent?: boolean } = {}): WorkerLog {
  const min = options.silent ? Infinity : options.debug ? RANK.debug : RANK.info;
  let pending = '';
  const flush = () => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    process.stderr.write(text);
  };
  process.on('exit', flush);
  const write = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < min) return;
    const line = { level, time: nowIso(), component: 'worker', msg, ...fields };
    if (pending === '') setImmediate(flush);
    // A replacer slows every line down (it is called for each key): used only where an Error is.
    pending += (hasError(fields) ? JSON.stringify(line, errorReplacer) : JSON.stringify(line)) + '\n';
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

function hasError(fields: Record<string, unknown> | undefined): boolean {
  if (fields === undefined) return false;
  for (const key in fields) if (fields[key] instanceof Error) return true;
  return false;
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
