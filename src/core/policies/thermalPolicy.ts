/**
 * Thermal policy with hysteresis. Above `max_temp` a device runs half its slots, from `max_temp + 5`
 * none; it steps back down only below `max_temp` (from paused) and below `max_temp - 5` (from
 * reduced), so a device at the edge does not toggle at every heartbeat. A CPU the kernel reports as
 * frequency-throttled is treated as hot: it runs fewer tasks whatever the sensor says.
 */
import { NO_LIMIT, type PolicyVerdict, reducedSlots } from './policyTypes.ts';

export const THERMAL_BAND = 5;

/** 0 normal, 1 reduced, 2 paused. */
export type ThermalLevel = 0 | 1 | 2;

export interface ThermalState {
  level: ThermalLevel;
}

export const INITIAL_THERMAL_STATE: ThermalState = { level: 0 };

export interface ThermalReading {
  temperature_c: number | null;
  cpu_throttled?: boolean | null;
}

/** Outside -40..150 °C a sensor is broken or speaks another unit. */
export function knownCelsius(value: number | null): number | null {
  if (value === null || !Number.isFinite(value) || value < -40 || value > 150) return null;
  return value;
}

export function nextThermalLevel(level: ThermalLevel, celsius: number, maxTemp: number): ThermalLevel {
  if (celsius >= maxTemp + THERMAL_BAND) return 2;
  if (celsius > maxTemp) return level === 2 ? 2 : 1;
  if (celsius >= maxTemp - THERMAL_BAND) return level === 2 ? 1 : level;
  return 0;
}

export function thermalPolicy(
  previous: ThermalState,
  reading: ThermalReading,
  maxTemp: number,
  maxSlots: number,
): { state: ThermalState; verdict: PolicyVerdict } {
  const celsius = knownCelsius(reading.temperature_c);
  const state: ThermalState =
    celsius === null ? previous : { level: nextThermalLevel(previous.level, celsius, maxTemp) };
  if (celsius !== null && state.level === 2)
    return { state, verdict: { slots: 0, reason: `too hot (${celsius} °C, limit ${maxTemp} °C)` } };
  if (celsius !== null && state.level === 1) {
    return {
      state,
      verdict: { slots: reducedSlots(maxSlots), reason: `warm (${celsius} °C, limit ${maxTemp} °C)` },
    };
  }
  if (reading.cpu_throttled === true)
    return { state, verdict: { slots: reducedSlots(maxSlots), reason: 'CPU frequency throttled' } };
  return { state, verdict: NO_LIMIT };
}
