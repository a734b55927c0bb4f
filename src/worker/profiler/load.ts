import { loadavg } from 'node:os';
import { round } from './units.ts';

/** Windows has no load average; Node reports [0, 0, 0] there, which would read as "idle". */
export function probeLoadAvg(platform: NodeJS.Platform): number[] | null {
  if (platform === 'win32') return null;
  try {
    const values = loadavg();
    if (values.length !== 3 || values.some((value) => !Number.isFinite(value) || value < 0)) return null;
    return values.map((value) => round(value, 2));
  } catch {
    return null;
  }
}
