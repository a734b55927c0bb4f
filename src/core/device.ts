/**
 * Glossary
 * - device: a machine that joined with the join token and runs a worker; identified by a stable id.
 * - online: connected and heard from within the heartbeat timeout.
 * - disconnected: its connection closed; its tasks wait `reconnect_grace` for it to come back.
 * - offline: silent for longer than the heartbeat timeout (or never reconnected).
 * - draining: online, finishing what it runs, getting nothing new.
 * - slots: `max_concurrent_tasks`; a device gets a task only while it has a free one.
 */
import type { DeviceMetrics, DeviceProfile } from '../protocol/messages.ts';

export const DeviceStatus = {
  Online: 'online',
  Disconnected: 'disconnected',
  Offline: 'offline',
  Draining: 'draining',
} as const;
export type DeviceStatus = (typeof DeviceStatus)[keyof typeof DeviceStatus];

/** The connection-level state; `draining` is a flag on top of `online`. */
export type ConnectionState = 'online' | 'disconnected' | 'offline';

export interface Device {
  device_id: string;
  profile: DeviceProfile;
  state: ConnectionState;
  draining: boolean;
  /** sha256 of the device secret; never the secret itself. */
  secret_hash: string;
  registered_at: string;
  last_seen: number;
  disconnected_at: number | null;
  metrics: DeviceMetrics | null;
  /** task id -> attempt for each task holding one of its slots (assigned, running, or cancelled but unconfirmed). */
  running: Map<string, number>;
}

export function publicStatus(device: Device): DeviceStatus {
  if (device.state === 'online' && device.draining) return 'draining';
  return device.state;
}

export function freeSlots(device: Device): number {
  return Math.max(0, device.profile.max_concurrent_tasks - device.running.size);
}
