import type { DeviceMetrics } from '../../protocol/messages.ts';
import { BatteryProbe } from './battery.ts';
import { NO_BATTERY } from './batteryReading.ts';
import { CpuSampler } from './cpu.ts';
import type { CpuReader } from './cpu.ts';
import { guarded } from './guarded.ts';
import { probeLoadAvg } from './load.ts';
import { probeMemory } from './memory.ts';
import type { ProbeEnvironment } from './probeEnvironment.ts';
import { probeStorage } from './storage.ts';
import { probeTemperature } from './temperature.ts';

export interface MetricsSamplerOptions {
  /** Replaces `os.cpus()` (tests). */
  readCpus?: CpuReader;
  termuxTimeoutMs?: number;
}

// A heartbeat waits for its metrics; a probe stuck in a driver must not delay it past this.
const PROBE_TIMEOUT_MS = 5000;

/** What the worker measures at each heartbeat; CPU usage covers the time since the previous sample. */
export class MetricsSampler {
  readonly #environment: ProbeEnvironment;
  readonly #cpu: CpuSampler;
  readonly #battery: BatteryProbe;

  constructor(environment: ProbeEnvironment, options: MetricsSamplerOptions = {}) {
    this.#environment = environment;
    this.#cpu = new CpuSampler(options.readCpus);
    this.#battery = new BatteryProbe(
      environment,
      options.termuxTimeoutMs === undefined ? {} : { termuxTimeoutMs: options.termuxTimeoutMs },
    );
  }

  async sample(runningTasks: number): Promise<DeviceMetrics> {
    const environment = this.#environment;
    const [memory, storage, battery] = await Promise.all([
      guarded(
        () => probeMemory(environment),
        { total_gb: 0, available_gb: null, percent: null },
        PROBE_TIMEOUT_MS,
      ),
      guarded(() => probeStorage(environment.stateDir), { total_gb: null, free_gb: null }, PROBE_TIMEOUT_MS),
      guarded(() => this.#battery.read(), NO_BATTERY, PROBE_TIMEOUT_MS),
    ]);
    const temperature = await guarded(
      () => probeTemperature(environment.sysfsRoot, battery.temperature_c),
      null,
      PROBE_TIMEOUT_MS,
    );
    return {
      cpu_percent: this.#sampleCpu(),
      memory_percent: memory.percent,
      memory_available_gb: memory.available_gb,
      storage_free_gb: storage.free_gb,
      load_avg: probeLoadAvg(environment.platform),
      battery_percent: battery.percent,
      battery_charging: battery.charging,
      temperature_c: temperature,
      running_tasks: runningTasks,
    };
  }

  #sampleCpu(): number | null {
    try {
      return this.#cpu.sample();
    } catch {
      return null;
    }
  }
}
