/**
 * The device owner's rules, checked by the worker before each heartbeat: when one says no, the
 * worker reports `paused` with the reason (the main node then gives it nothing) and rejects any
 * assignment that was already on its way.
 *
 * What `--only-when-idle` measures: the 1-minute load average (Linux, macOS; /proc/loadavg) minus
 * the tasks this worker runs itself, per core. Above 0.5 someone else is using the machine. Windows
 * and Android apps without a load average never count as busy (unknown is not busy).
 *
 * `--max-cpu-percent` and `--max-memory-percent` compare the whole machine's use, including the
 * worker's own tasks: a device set to 50% CPU stops taking work while its tasks push it past that.
 */
import type { DeviceMetrics } from '../protocol/messages.ts';
import { inSchedule, type TimeWindow } from './scheduleWindow.ts';

export interface OwnerRules {
  maxCpuPercent: number | null;
  maxMemoryPercent: number | null;
  onlyWhenIdle: boolean;
  schedule: TimeWindow[];
}

export const NO_OWNER_RULES: OwnerRules = {
  maxCpuPercent: null,
  maxMemoryPercent: null,
  onlyWhenIdle: false,
  schedule: [],
};

const BUSY_LOAD_PER_CORE = 0.5;

/** The reason to pause now, or null. */
export function ownerPauseReason(
  rules: OwnerRules,
  metrics: DeviceMetrics,
  cpuCount: number,
  now: Date,
): string | null {
  if (rules.schedule.length > 0 && !inSchedule(rules.schedule, now))
    return `outside schedule ${rules.schedule.map((w) => w.text).join(',')}`;
  if (
    rules.maxCpuPercent !== null &&
    metrics.cpu_percent !== null &&
    metrics.cpu_percent > rules.maxCpuPercent
  )
    return `CPU ${metrics.cpu_percent}% > ${rules.maxCpuPercent}%`;
  if (
    rules.maxMemoryPercent !== null &&
    metrics.memory_percent !== null &&
    metrics.memory_percent > rules.maxMemoryPercent
  )
    return `memory ${metrics.memory_percent}% > ${rules.maxMemoryPercent}%`;
  if (rules.onlyWhenIdle && metrics.load_avg !== null && metrics.load_avg.length > 0) {
    const foreign = Math.max(0, (metrics.load_avg[0] ?? 0) - metrics.running_tasks);
    const perCore = foreign / Math.max(1, cpuCount);
    if (perCore > BUSY_LOAD_PER_CORE) return `device in use (load ${perCore.toFixed(2)} per core)`;
  }
  return null;
}
