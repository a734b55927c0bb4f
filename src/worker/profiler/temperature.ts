import { readdir } from '../fsAsync.ts';
import { childPath } from '../childPath.ts';
import { readText } from './readText.ts';
import { plausibleCelsius } from './temperatureRange.ts';
import { parseStrictNumber } from './units.ts';

/** The hottest thermal zone, in °C (sysfs reports millidegrees); null when none is readable. */
export async function readThermalZonesMax(sysfsRoot: string): Promise<number | null> {
  const thermalDir = childPath(sysfsRoot, 'class', 'thermal');
  let names: string[];
  try {
    names = (await readdir(thermalDir)).filter((name) => name.startsWith('thermal_zone'));
  } catch {
    return null;
  }
  const readings = await Promise.all(
    names.map(async (name) => {
      const milli = parseStrictNumber(await readText(childPath(thermalDir, name, 'temp')));
      return plausibleCelsius(milli === null ? null : milli / 1000);
    }),
  );
  let hottest: number | null = null;
  for (const reading of readings) {
    if (reading !== null && (hottest === null || reading > hottest)) hottest = reading;
  }
  return hottest;
}

/** The battery's temperature is what phones throttle on, so it wins over the thermal zones. */
export async function probeTemperature(
  sysfsRoot: string,
  batteryTemperature: number | null,
): Promise<number | null> {
  const fromBattery = plausibleCelsius(batteryTemperature);
  if (fromBattery !== null) return fromBattery;
  try {
    return await readThermalZonesMax(sysfsRoot);
  } catch {
    return null;
  }
}
