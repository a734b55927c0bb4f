/**
 * Glossary
 * - policy: a small pure rule that limits how many tasks a device may run at once from what it
 *   reports (battery, heat, connection history). One rule a file; each keeps its own little state,
 *   because hysteresis needs to remember which side of the threshold the device was on.
 * - verdict: a policy's answer: a slot limit (`null` = no limit from this policy, 0 = paused) and
 *   the reason people see in the API, CLI and dashboard.
 * - unknown reading: a value that is missing or physically impossible; it never restricts a device.
 */
export interface PolicyVerdict {
  /** Slots this policy allows; null = no restriction. */
  slots: number | null;
  reason: string | null;
}

export const NO_LIMIT: PolicyVerdict = { slots: null, reason: null };

/** The thresholds a device is held to (main node defaults, or the device's own; see devicePolicy.ts). */
export interface PolicyThresholds {
  /** Below this battery percentage (on battery) a device gets no new tasks. */
  min_battery: number;
  /** Above this temperature (°C) a device runs fewer tasks, and from 5 °C more, none. */
  max_temp: number;
}

export const DEFAULT_THRESHOLDS: PolicyThresholds = { min_battery: 30, max_temp: 45 };

/** Half the slots, at least one: "fewer tasks" without starving the device completely. */
export function reducedSlots(maxSlots: number): number {
  return Math.max(1, Math.floor(maxSlots / 2));
}
