import * as os from 'node:os';
import type { ProbeEnvironment } from './probeEnvironment.ts';
import { readText } from './readText.ts';
import { round } from './units.ts';

export type CpuReader = () => os.CpuInfo[];

function readCpusSafely(readCpus: CpuReader): os.CpuInfo[] {
  try {
    return readCpus();
  } catch {
    return [];
  }
}

/** Android 8+ hides /proc/stat, so `os.cpus()` is empty there while the affinity mask still works. */
export function probeCpuCount(readCpus: CpuReader = os.cpus): number {
  let available = 0;
  try {
    // Node < 18.14 has no availableParallelism.
    if (typeof os.availableParallelism === 'function') available = os.availableParallelism();
  } catch {
    available = 0;
  }
  const listed = readCpusSafely(readCpus).length;
  // A running device has at least one CPU; that is a fact, not a guess.
  return Math.max(1, available || listed);
}

export async function probeCpuModel(
  environment: ProbeEnvironment,
  readCpus: CpuReader = os.cpus,
): Promise<string | null> {
  const listed = readCpusSafely(readCpus)[0]?.model.trim();
  if (listed && listed.toLowerCase() !== 'unknown') return listed;
  if (environment.platform !== 'linux' && environment.platform !== 'android') return null;
  const cpuinfo = await readText(`${environment.procRoot}/cpuinfo`);
  return cpuinfo === null ? null : parseCpuinfoModel(cpuinfo);
}

/** ARM kernels put the name under `Hardware` (the SoC) or `Processor` rather than `model name`. */
export function parseCpuinfoModel(cpuinfo: string): string | null {
  const fields = new Map<string, string>();
  for (const line of cpuinfo.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (value !== '' && !fields.has(key)) fields.set(key, value);
  }
  for (const key of ['model name', 'Hardware', 'Processor', 'cpu model']) {
    const value = fields.get(key);
    // Lower-case `processor : 0` is an index; a bare number is never a model name.
    if (value !== undefined && !/^\d+$/.test(value)) return value;
  }
  return null;
}

interface CpuTimes {
  busy: number;
  total: number;
}

function toTimes(cpu: os.CpuInfo): CpuTimes {
  const { user, nice, sys, idle, irq } = cpu.times;
  const busy = user + nice + sys + irq;
  return { busy, total: busy + idle };
}

/**
 * Usage since the previous sample, so each heartbeat reports the interval it covers instead of a
 * since-boot average.
 */
export class CpuSampler {
  readonly #readCpus: CpuReader;
  #previous: CpuTimes[];

  constructor(readCpus: CpuReader = os.cpus) {
    this.#readCpus = readCpus;
    this.#previous = this.#read();
  }

  sample(): number | null {
    const current = this.#read();
    let busy = 0;
    let total = 0;
    // Per CPU, because phones take cores offline: a vanished core must not look like negative time.
    for (let index = 0; index < current.length; index++) {
      const now = current[index];
      const before = this.#previous[index];
      if (now === undefined || before === undefined) continue;
      const deltaTotal = now.total - before.total;
      const deltaBusy = now.busy - before.busy;
      if (deltaTotal <= 0 || deltaBusy < 0 || deltaBusy > deltaTotal) continue;
      busy += deltaBusy;
      total += deltaTotal;
    }
    // Without a clock tick since the baseline, keep it, so the next sample covers the longer
    // interval; a changed core count (or a first readable sample) starts a new baseline.
    if (total > 0 || (current.length > 0 && current.length !== this.#previous.length)) {
      this.#previous = current;
    }
    if (total <= 0) return null;
    return round(Math.min(100, Math.max(0, (busy / total) * 100)), 1);
  }

  #read(): CpuTimes[] {
    return readCpusSafely(this.#readCpus).map(toTimes);
  }
}
