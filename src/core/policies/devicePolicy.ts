/**
 * All of a device's policies together: its effective slot limit and the reason for it.
 *
 * Thresholds rule: the main node's `--min-battery` / `--max-temp` are the defaults; a worker started
 * with its own `--min-battery` / `--max-temp` sends them in `capabilities.policy` and those win for
 * that device, because its owner knows the hardware (an old phone that swells when hot). Values that
 * make no sense (outside 0..100 %, -40..150 °C) are ignored.
 */
import type { DeviceMetrics, DeviceProfile } from '../../protocol/messages.ts';
import { type BatteryState, batteryPolicy, INITIAL_BATTERY_STATE } from './batteryPolicy.ts';
import { type FlapState, INITIAL_FLAP_STATE } from './flapPolicy.ts';
import type { PolicyThresholds, PolicyVerdict } from './policyTypes.ts';
import { INITIAL_THERMAL_STATE, type ThermalState, thermalPolicy } from './thermalPolicy.ts';

export interface DevicePolicy {
  battery: BatteryState;
  thermal: ThermalState;
  flap: FlapState;
  /** The worker's own pause (owner policy: schedule, idle, CPU, memory), as it reported it. */
  owner_paused: string | null;
  /** The slot limit all policies allow; null = the profile's `max_concurrent_tasks`. */
  slots: number | null;
  /** Why the device is limited or paused; null when it is not. */
  reason: string | null;
}

export const INITIAL_DEVICE_POLICY: DevicePolicy = {
  battery: INITIAL_BATTERY_STATE,
  thermal: INITIAL_THERMAL_STATE,
  flap: INITIAL_FLAP_STATE,
  owner_paused: null,
  slots: null,
  reason: null,
};

export function thresholdsFor(profile: DeviceProfile, defaults: PolicyThresholds): PolicyThresholds {
  const own = profile.capabilities.policy;
  if (typeof own !== 'object' || own === null) return defaults;
  const { min_battery: minBattery, max_temp: maxTemp } = own as Record<string, unknown>;
  return {
    min_battery: inRange(minBattery, 0, 100) ? minBattery : defaults.min_battery,
    max_temp: inRange(maxTemp, -40, 150) ? maxTemp : defaults.max_temp,
  };
}

function inRange(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

export function evaluatePolicy(
  previous: DevicePolicy,
  metrics: DeviceMetrics | null,
  ownerPaused: string | null,
  thresholds: PolicyThresholds,
  maxSlots: number,
): DevicePolicy {
  const next: DevicePolicy = { ...previous, owner_paused: ownerPaused, slots: null, reason: null };
  const verdicts: PolicyVerdict[] = [];
  if (ownerPaused !== null) verdicts.push({ slots: 0, reason: `paused by owner: ${ownerPaused}` });
  if (metrics !== null) {
    const battery = batteryPolicy(previous.battery, metrics, thresholds.min_battery, maxSlots);
    const thermal = thermalPolicy(previous.thermal, metrics, thresholds.max_temp, maxSlots);
    next.battery = battery.state;
    next.thermal = thermal.state;
    verdicts.push(battery.verdict, thermal.verdict);
  }
  // The strictest limit wins; its reason is the one shown (the others would not change anything).
  for (const verdict of verdicts) {
    if (verdict.slots === null) continue;
    if (next.slots === null || verdict.slots < next.slots) {
      next.slots = verdict.slots;
      next.reason = verdict.reason;
    }
  }
  return next;
}
