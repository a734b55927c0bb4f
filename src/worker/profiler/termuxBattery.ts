import type { BatteryReading } from './batteryReading.ts';
import { runCommand } from './runCommand.ts';
import { plausibleCelsius } from './temperatureRange.ts';
import { percentOrNull } from './units.ts';

/** Parses `termux-battery-status` output, e.g. {"percentage": 85, "status": "CHARGING", "temperature": 30.1}. */
export function parseTermuxBattery(json: string): BatteryReading | null {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const record = data as Record<string, unknown>;
  const percentage = typeof record.percentage === 'number' ? record.percentage : null;
  const temperature = typeof record.temperature === 'number' ? record.temperature : null;
  return {
    percent: percentOrNull(percentage),
    charging: chargingFrom(record.status, record.plugged),
    temperature_c: plausibleCelsius(temperature),
  };
}

function chargingFrom(status: unknown, plugged: unknown): boolean | null {
  switch (status) {
    case 'CHARGING':
    case 'FULL':
      return true;
    case 'DISCHARGING':
    case 'NOT_CHARGING':
      return false;
  }
  // Status UNKNOWN still leaves the plug state, which is what "charging" is used for.
  if (plugged === 'UNPLUGGED') return false;
  if (typeof plugged === 'string' && plugged.startsWith('PLUGGED')) return true;
  return null;
}

export async function readTermuxBattery(
  command: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<BatteryReading | null> {
  const output = await runCommand(command, [], { env, timeoutMs });
  if (output === null || output.exitCode !== 0) return null;
  return parseTermuxBattery(output.stdout);
}
