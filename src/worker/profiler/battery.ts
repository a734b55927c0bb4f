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
  /** How long a PATH without `termux-battery-status` is trusted before it is searched again. */
  termuxLookupIntervalMs?: number;
}

const TERMUX_LOOKUP_INTERVAL_MS = 10 * 60_000;

/**
 * sysfs first (cheap, no process); Android often hides it from apps, and then Termux:API is the only
 * way. Kept as an object so the command lookup and its failure count survive between heartbeats.
 */
export class BatteryProbe {
  readonly #environment: ProbeEnvironment;
  readonly #termuxTimeoutMs: number;
  readonly #termuxMaxFailures: number;
  readonly #termuxLookupIntervalMs: number;
  #termuxCommand: string | null = null;
  /** When the PATH was last searched; a device without Termux:API is not searched every heartbeat. */
  #termuxLookedUpAt: number | null = null;
  #termuxFailures = 0;

  constructor(environment: ProbeEnvironment, options: BatteryProbeOptions = {}) {
    this.#environment = environment;
    this.#termuxTimeoutMs = options.termuxTimeoutMs ?? 3000;
    this.#termuxMaxFailures = options.termuxMaxFailures ?? 3;
    this.#termuxLookupIntervalMs = options.termuxLookupIntervalMs ?? TERMUX_LOOKUP_INTERVAL_MS;
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
    const now = Date.now();
    if (
      this.#termuxCommand === null &&
      (this.#termuxLookedUpAt === null || now - this.#termuxLookedUpAt >= this.#termuxLookupIntervalMs)
    ) {
      this.#termuxLookedUpAt = now;
      this.#termuxCommand = await findExecutable('termux-battery-status', env, platform);
    }
    if (this.#termuxCommand === null) return null;
    const reading = await readTermuxBattery(this.#termuxCommand, env, this.#termuxTimeoutMs);
    if (reading === null) this.#termuxFailures++;
    else this.#termuxFailures = 0;
    return reading;
  }
}
