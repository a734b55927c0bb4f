import { stat, statfs } from '../fsAsync.ts';
import { dirname, isAbsolute, resolve } from 'node:path';
import { bytesToGb } from './units.ts';

export interface StorageReading {
  total_gb: number | null;
  free_gb: number | null;
}

const UNKNOWN: StorageReading = { total_gb: null, free_gb: null };

/** The file system holding `dir` (or its nearest existing parent, before the worker has created it). */
export async function probeStorage(dir: string): Promise<StorageReading> {
  // fs.statfs arrived in Node 18.15; older phones' Node simply reports unknown.
  if (statfs === null) return UNKNOWN;
  // The state dir is absolute already; `resolve` would normalise it again on every heartbeat.
  const existing = await nearestExistingDir(isAbsolute(dir) ? dir : resolve(dir));
  if (existing === null) return UNKNOWN;
  try {
    const stats = await statfs(existing);
    const total = stats.blocks * stats.bsize;
    // bavail, not bfree: the blocks reserved for root are not ours to fill.
    const free = stats.bavail * stats.bsize;
    if (!Number.isFinite(total) || total <= 0 || free < 0 || free > total) return UNKNOWN;
    return { total_gb: bytesToGb(total), free_gb: bytesToGb(free) };
  } catch {
    return UNKNOWN;
  }
}

async function nearestExistingDir(start: string): Promise<string | null> {
  let current = start;
  for (;;) {
    try {
      await stat(current);
      return current;
    } catch {
      const parent = dirname(current);
      if (parent === current) return null;
      current = parent;
    }
  }
}
