import { readdir } from '../fsAsync.ts';
import { childPath } from '../childPath.ts';
import type { BatteryReading } from './batteryReading.ts';
import { readText } from './readText.ts';
import { plausibleCelsius } from './temperatureRange.ts';
import { parseStrictNumber, percentOrNull } from './units.ts';

interface SysfsBattery {
  percent: number | null;
  charging: boolean | null;
  temperature_c: number | null;
  /** energy_full or charge_full, to weigh several batteries by size. */
  capacityWeight: { kind: 'energy' | 'charge'; value: number } | null;
}

/** Kernel `status` strings; "Not charging" means plugged in but held (e.g. a charge limit). */
export function parseChargingStatus(status: string | null): boolean | null {
  switch (status?.trim().toLowerCase()) {
    case 'charging':
    case 'full':
      return true;
    case 'discharging':
    case 'not charging':
      return false;
    default:
      return null;
  }
}

/** Null when the device has no system battery (a desktop, a Pi, a hidden sysfs). */
export async function readSysfsBattery(sysfsRoot: string): Promise<BatteryReading | null> {
  const supplyDir = childPath(sysfsRoot, 'class', 'power_supply');
  let names: string[];
  try {
    names = (await readdir(supplyDir)).sort();
  } catch {
    return null;
  }
  const batteries: SysfsBattery[] = [];
  for (const name of names) {
    const battery = await readSupply(childPath(supplyDir, name));
    if (battery !== null) batteries.push(battery);
  }
  return combine(batteries);
}

async function readSupply(dir: string): Promise<SysfsBattery | null> {
  if ((await readText(childPath(dir, 'type')))?.trim() !== 'Battery') return null;
  // A wireless mouse or game pad is a `Battery` too, but with scope `Device`: not ours.
  if ((await readText(childPath(dir, 'scope')))?.trim() === 'Device') return null;
  const [capacity, status, temp, energyFull, chargeFull] = await Promise.all(
    ['capacity', 'status', 'temp', 'energy_full', 'charge_full'].map((file) =>
      readText(childPath(dir, file)),
    ),
  );
  const tenths = parseStrictNumber(temp);
  const energy = parseStrictNumber(energyFull);
  const charge = parseStrictNumber(chargeFull);
  return {
    percent: percentOrNull(parseStrictNumber(capacity)),
    charging: parseChargingStatus(status ?? null),
    temperature_c: plausibleCelsius(tenths === null ? null : tenths / 10),
    capacityWeight:
      energy !== null && energy > 0
        ? { kind: 'energy', value: energy }
        : charge !== null && charge > 0
          ? { kind: 'charge', value: charge }
          : null,
  };
}

function combine(batteries: SysfsBattery[]): BatteryReading | null {
  const first = batteries[0];
  if (first === undefined) return null;
  const charging = batteries.some((battery) => battery.charging === true)
    ? true
    : batteries.some((battery) => battery.charging === false)
      ? false
      : null;
  const temperature = batteries.find((battery) => battery.temperature_c !== null)?.temperature_c ?? null;
  return { percent: combinedPercent(batteries), charging, temperature_c: temperature };
}

/** Two laptop batteries of different sizes only add up when weighed by their capacity. */
function combinedPercent(batteries: SysfsBattery[]): number | null {
  const withPercent = batteries.filter((battery) => battery.percent !== null);
  if (withPercent.length === 0) return null;
  if (withPercent.length === 1) return withPercent[0]?.percent ?? null;
  const kind = withPercent[0]?.capacityWeight?.kind;
  const weighable = withPercent.every(
    (battery) => kind !== undefined && battery.capacityWeight?.kind === kind,
  );
  if (!weighable) return withPercent[0]?.percent ?? null;
  let weighted = 0;
  let weights = 0;
  for (const battery of withPercent) {
    const weight = battery.capacityWeight?.value ?? 0;
    weighted += (battery.percent ?? 0) * weight;
    weights += weight;
  }
  return percentOrNull(weighted / weights);
}
