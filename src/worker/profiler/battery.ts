import { NO_BATTERY } from './batteryReading.ts';
import type { BatteryReading } from './batteryReading.ts';
import { findExecutable } from './findExecutable.ts';
import type { ProbeEnvironment } from './probeEnvironment.ts';
import { readSysfsBattery } from './sysfsBattery.ts';
import { readTermuxBattery } from './termuxBattery.ts';

export interface BatteryProbeOptions {
  /** How long `termux-battery-status` may take (it hangs without the Termux:API app). */
  termuxTimeoutMs?: number;
  /** Consecutive failed `termux-battery-status` runs after which it is no longer tried. */
  termuxMaxFailures?: number;
}

/**
 * sysfs first (cheap, no process); Android often hides it from apps, and then Termux:API is the only
 * way. Kept as an object so the command lookup and its failure count survive between heartbeats.
 */
export class BatteryProbe {
  readonly #environment: ProbeEnvironment;
  readonly #termuxTimeoutMs: number;
  readonly #termuxMaxFailures: number;
  #termuxCommand: string | null | undefined;
  #termuxFailures = 0;

  constructor(environment: ProbeEnvironment, options: BatteryProbeOptions = {}) {
    this.#environment = environment;
    this.#termuxTimeoutMs = options.termuxTimeoutMs ?? 3000;
    this.#termuxMaxFailures = options.termuxMaxFailures ?? 3;
  }

  async read(): Promise<BatteryReading> {
    try {
      const fromSysfs = await readSysfsBattery(this.#environment.sysfsRoot);
      if (fromSysfs !== null) return fromSysfs;
      return (await this.#readTermux()) ?? NO_BATTERY;
    } catch {
      return NO_BATTERY;
    }
  }

  async #readTermux(): Promise<BatteryReading | null> {
    if (this.#termuxFailures >= this.#termuxMaxFailures) return null;
    const { env, platform } = this.#environment;
    this.#termuxCommand ??= await findExecutable('termux-battery-status', env, platform);
    if (this.#termuxCommand === null) return null;
    const reading = await readTermuxBattery(this.#termuxCommand, env, this.#termuxTimeoutMs);
    if (reading === null) this.#termuxFailures++;
    else this.#termuxFailures = 0;
    return reading;
  }
}
