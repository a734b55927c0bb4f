import { round } from './units.ts';

// Beyond these a sensor is broken or reports in another unit; passing that on would be a guess.
const MIN_PLAUSIBLE_C = -40;
const MAX_PLAUSIBLE_C = 150;

export function plausibleCelsius(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  if (value < MIN_PLAUSIBLE_C || value > MAX_PLAUSIBLE_C) return null;
  return round(value, 1);
}
