/**
 * One main node per data dir: two on the same store would each think its memory is the truth.
 * The lock is a pid file; a stale one (its process is gone, e.g. after kill -9) is taken over.
 * Where the system says when a process started (Linux), the file records that too, so a pid reused
 * by another program since a crash is recognised as stale: the main node starts, and `token rotate`
 * sends its SIGHUP to nobody else.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PID_FILE = 'main.pid';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

/** The pid of a live main node holding `dataDir`, or null. */
export function lockHolder(dataDir: string): number | null {
  let fields: string[];
  try {
    fields = readFileSync(join(dataDir, PID_FILE), 'utf8').trim().split(/\s+/);
  } catch {
    return null;
  }
  const pid = Number(fields[0]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
  if (isZombie(pid)) return null;
  const started = fields[1];
  if (started !== undefined && startTime(pid) !== null && startTime(pid) !== started) return null;
  return pid;
}

/** When a process started, in clock ticks since boot (Linux); null where that cannot be read. */
export function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; starttime is field 22.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** A killed process nobody reaped yet still answers kill(pid, 0); it holds nothing. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

export function lockDataDir(dataDir: string): { release(): void } {
  const holder = lockHolder(dataDir);
  if (holder !== null) {
    throw new DataDirLockedError(`another main node (pid ${holder}) is running on ${dataDir}`);
  }
  const path = join(dataDir, PID_FILE);
  try {
    writeFileSync(path, `${[process.pid, startTime(process.pid)].filter((f) => f !== null).join(' ')}\n`);
  } catch (error) {
    // A full disk fails the write with a bare "ENOSPC ... write": say which file.
    throw new Error(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
  return {
    release: () => {
      if (lockHolder(dataDir) === null) rmSync(path, { force: true });
    },
  };
}
