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
import { measureSpeedScoreIsolated } from './speedScore.ts';
import { probeTemperature } from './temperature.ts';
import { ThrottleProbe } from './throttle.ts';

export interface MetricsSamplerOptions {
  /** Replaces `os.cpus()` (tests). */
  readCpus?: CpuReader;
  termuxTimeoutMs?: number;
  /** Replaces the CPU benchmark (tests); null or a throw: not known this time. */
  measureSpeed?: () => number | null | Promise<number | null>;
  /** How often the benchmark runs again (it runs at the first sample: at join). */
  speedIntervalMs?: number;
}

const SPEED_INTERVAL_MS = 10 * 60_000;

// A heartbeat waits for its metrics; a probe stuck in a driver must not delay it past this.
const PROBE_TIMEOUT_MS = 5000;

/** What the worker measures at each heartbeat; CPU usage covers the time since the previous sample. */
export class MetricsSampler {
  readonly #environment: ProbeEnvironment;
  readonly #cpu: CpuSampler;
  readonly #battery: BatteryProbe;
  readonly #throttle: ThrottleProbe;
  readonly #measureSpeed: () => number | null | Promise<number | null>;
  readonly #speedIntervalMs: number;
  #speed: { score: number | null; at: number } | null = null;
  /** The measurement under way, shared by every sample that asks meanwhile (one child at a time). */
  #measuring: Promise<number | null> | null = null;

  constructor(environment: ProbeEnvironment, options: MetricsSamplerOptions = {}) {
    this.#environment = environment;
    this.#cpu = new CpuSampler(options.readCpus);
    this.#battery = new BatteryProbe(
      environment,
      options.termuxTimeoutMs === undefined ? {} : { termuxTimeoutMs: options.termuxTimeoutMs },
    );
    this.#throttle = new ThrottleProbe(environment.sysfsRoot);
    this.#measureSpeed = options.measureSpeed ?? (() => measureSpeedScoreIsolated());
    this.#speedIntervalMs = options.speedIntervalMs ?? SPEED_INTERVAL_MS;
  }

  /** The benchmark score, measured at the first call and again every `speedIntervalMs`. */
  async speedScore(): Promise<number | null> {
    const now = Date.now();
    if (this.#speed !== null && now - this.#speed.at < this.#speedIntervalMs) return this.#speed.score;
    this.#measuring ??= this.#measure(now);
    return this.#measuring;
  }

  async #measure(at: number): Promise<number | null> {
    let score: number | null = null;
    try {
      score = await this.#measureSpeed();
    } catch {
      score = null;
    }
    // A failed run keeps the previous score until the next interval rather than retrying each sample.
    this.#speed = { score: score ?? this.#speed?.score ?? null, at };
    this.#measuring = null;
    return this.#speed.score;
  }

  async sample(runningTasks: number): Promise<DeviceMetrics> {
    const environment = this.#environment;
    const [memory, storage, battery, throttled] = await Promise.all([
      guarded(
        () => probeMemory(environment),
        { total_gb: 0, available_gb: null, percent: null },
        PROBE_TIMEOUT_MS,
      ),
      guarded(() => probeStorage(environment.stateDir), { total_gb: null, free_gb: null }, PROBE_TIMEOUT_MS),
      guarded(() => this.#battery.read(), NO_BATTERY, PROBE_TIMEOUT_MS),
      guarded(() => this.#throttle.sample(), null, PROBE_TIMEOUT_MS),
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
      speed_score: await this.speedScore(),
      cpu_throttled: throttled,
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
