import { readdir } from '../fsAsync.ts';
import { childPath } from '../childPath.ts';
import { readText } from './readText.ts';
import { parseStrictNumber } from './units.ts';

/**
 * CPU frequency throttling, where the kernel counts it (x86:
 * `devices/system/cpu/cpu*\/thermal_throttle/{core,package}_throttle_count`). The counters only
 * grow, so "throttled" means they grew since the previous sample; null when /sys has no counters.
 */
export class ThrottleProbe {
  readonly #sysfsRoot: string;
  #last: number | null = null;

  constructor(sysfsRoot: string) {
    this.#sysfsRoot = sysfsRoot;
  }

  async sample(): Promise<boolean | null> {
    const total = await readThrottleCount(this.#sysfsRoot);
    const previous = this.#last;
    this.#last = total;
    if (total === null || previous === null) return total === null ? null : false;
    return total > previous;
  }
}

export async function readThrottleCount(sysfsRoot: string): Promise<number | null> {
  const cpuDir = childPath(sysfsRoot, 'devices', 'system', 'cpu');
  let names: string[];
  try {
    names = (await readdir(cpuDir)).filter((name) => /^cpu\d+$/.test(name));
  } catch {
    return null;
  }
  let total: number | null = null;
  for (const name of names) {
    for (const file of ['core_throttle_count', 'package_throttle_count']) {
      const count = parseStrictNumber(await readText(childPath(cpuDir, name, 'thermal_throttle', file)));
      if (count !== null) total = (total ?? 0) + count;
    }
  }
  return total;
}
