export interface BatteryReading {
  percent: number | null;
  /** True while on external power (charging or full), false on battery. */
  charging: boolean | null;
  /** The battery's own temperature, when its driver reports one. */
  temperature_c: number | null;
}

export const NO_BATTERY: BatteryReading = { percent: null, charging: null, temperature_c: null };
