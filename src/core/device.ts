/**
 * Glossary
 * - device: a machine that joined with the join token and runs a worker; identified by a stable id.
 * - online: connected and heard from within the heartbeat timeout.
 * - disconnected: its connection closed; its tasks wait `reconnect_grace` for it to come back.
 * - offline: silent for longer than the heartbeat timeout (or never reconnected).
 * - draining: online, finishing what it runs, getting nothing new.
 * - slots: `max_concurrent_tasks`; a device gets a task only while it has a free one.
 * - effective slots: the slots its policies allow now (battery, heat, owner pause); never more than
 *   `max_concurrent_tasks`. Fewer than it runs does not stop anything: it just gets nothing new.
 */
import type { DeviceMetrics, DeviceProfile } from '../protocol/messages.ts';
import type { DevicePolicy } from './policies/devicePolicy.ts';

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
  /** Policy state (hysteresis) and its verdict; not stored: rebuilt from the next heartbeat. */
  policy?: DevicePolicy;
}

export function publicStatus(device: Device): DeviceStatus {
  if (device.state === 'online' && device.draining) return 'draining';
  return device.state;
}

export function effectiveSlots(device: Device): number {
  const limit = device.policy?.slots ?? null;
  const slots = device.profile.max_concurrent_tasks;
  return limit === null ? slots : Math.min(slots, limit);
}

export function freeSlots(device: Device): number {
  return Math.max(0, effectiveSlots(device) - device.running.size);
}

/** Why the device gets no new work (or less of it); null when nothing limits it. */
export function policyReason(device: Device): string | null {
  return device.policy?.reason ?? null;
}

/** Speed score from the worker's benchmark (higher is faster, a typical core ≈ 100); null = unknown. */
export function speedScore(device: Device): number | null {
  const score = device.metrics?.speed_score;
  return typeof score === 'number' && Number.isFinite(score) && score > 0 ? score : null;
}
