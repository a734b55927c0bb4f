/**
 * Battery policy with hysteresis. On battery (not charging) below `min_battery` a device gets no new
 * tasks; it gets work again only above `min_battery + 10` or once it charges, so a phone hovering at
 * the threshold does not flap between paused and busy. A device whose battery falls while it says
 * it is charging (a weak charger under load) runs half its slots until the level rises again.
 */
import { NO_LIMIT, type PolicyVerdict, reducedSlots } from './policyTypes.ts';

export const BATTERY_RESUME_MARGIN = 10;

export interface BatteryState {
  /** Paused for a low battery; stays so until the resume level or a charger. */
  low: boolean;
  /** The level at the previous reading, to see a battery drain while plugged in. */
  last_percent: number | null;
  /** Set while a plugged-in battery drains: the level at which that was first seen. */
  plugged_drain_from: number | null;
}

export const INITIAL_BATTERY_STATE: BatteryState = {
  low: false,
  last_percent: null,
  plugged_drain_from: null,
};

export interface BatteryReading {
  battery_percent: number | null;
  battery_charging: boolean | null;
}

/** Outside 0..100 is a broken sensor or driver, not an empty battery. */
export function knownPercent(value: number | null): number | null {
  if (value === null || !Number.isFinite(value) || value < 0 || value > 100) return null;
  return value;
}

export function batteryPolicy(
  previous: BatteryState,
  reading: BatteryReading,
  minBattery: number,
  maxSlots: number,
): { state: BatteryState; verdict: PolicyVerdict } {
  const percent = knownPercent(reading.battery_percent);
  // Unknown level: no restriction, but what we knew stays for when readings come back.
  if (percent === null) return { state: previous, verdict: NO_LIMIT };
  const state: BatteryState = { ...previous, last_percent: percent };
  if (reading.battery_charging === true) {
    state.low = false;
    if (
      state.plugged_drain_from === null &&
      previous.last_percent !== null &&
      percent < previous.last_percent
    )
      state.plugged_drain_from = previous.last_percent;
    else if (state.plugged_drain_from !== null && percent >= state.plugged_drain_from)
      state.plugged_drain_from = null;
    if (state.plugged_drain_from === null) return { state, verdict: NO_LIMIT };
    return {
      state,
      verdict: {
        slots: reducedSlots(maxSlots),
        reason: `battery draining while charging (${percent}%)`,
      },
    };
  }
  state.plugged_drain_from = null;
  if (state.low) state.low = percent <= minBattery + BATTERY_RESUME_MARGIN;
  else state.low = percent < minBattery;
  if (!state.low) return { state, verdict: NO_LIMIT };
  return {
    state,
    verdict: {
      slots: 0,
      reason: `battery ${percent}% and not charging (resumes above ${minBattery + BATTERY_RESUME_MARGIN}% or when charging)`,
    },
  };
}
