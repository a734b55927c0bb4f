import { readFileSync } from 'node:fs';

/**
 * True once `pid` no longer runs. A killed grandchild is reparented to init, and some container
 * inits never reap, so on Linux a zombie (state Z in /proc/<pid>/stat) also counts as gone.
 */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
    throw error;
  }
  return process.platform === 'linux' && isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true; // the entry vanished between the two checks
  }
}
