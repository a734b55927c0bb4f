/**
 * Wake-on-LAN, decided in the pure core: which sleeping devices to wake for the queued work that no
 * awake device can take. A device is woken at most once per interval, whatever the queue does.
 */
import type { Device } from './device.ts';
import { acceptsType, meetsRequirements } from './requirements.ts';
import type { Task } from './task.ts';

/** How many queued tasks are looked at per pass: enough to find work, bounded however long the queue. */
const LOOK_AHEAD = 200;

export function macOf(device: Device): string | null {
  const mac = device.profile.capabilities.mac;
  return typeof mac === 'string' && /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i.test(mac) ? mac : null;
}

export function devicesToWake(
  queued: Iterable<Task>,
  devices: Iterable<Device>,
  lastWake: ReadonlyMap<string, number>,
  now: number,
  intervalMs: number,
): Device[] {
  const awake: Device[] = [];
  const asleep: Device[] = [];
  for (const device of devices) {
    if (device.state === 'online') {
      if (!device.draining) awake.push(device);
    } else if (macOf(device) !== null && now - (lastWake.get(device.device_id) ?? -Infinity) >= intervalMs) {
      asleep.push(device);
    }
  }
  if (asleep.length === 0) return [];
  const fits = (device: Device, task: Task) =>
    acceptsType(device.profile, task.task_type) && meetsRequirements(device.profile, task.requirements);
  const wake = new Set<Device>();
  let seen = 0;
  for (const task of queued) {
    if (++seen > LOOK_AHEAD) break;
    if (awake.some((device) => fits(device, task))) continue;
    const sleeper = asleep.find((device) => fits(device, task));
    if (sleeper) wake.add(sleeper);
  }
  return [...wake];
}
