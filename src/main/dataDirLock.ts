/**
 * One main node per data dir: two on the same store would each think its memory is the truth.
 * The lock is a pid file; a stale one (its process is gone, e.g. after kill -9) is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PID_FILE = 'main.pid';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

/** The pid of a live main node holding `dataDir`, or null. */
export function lockHolder(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, PID_FILE), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
  return isZombie(pid) ? null : pid;
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
    writeFileSync(path, `${process.pid}\n`);
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
