/**
 * What the outside sees of tasks and devices: the JSON field names are the public interface (REST,
 * MCP, TCP management, CLI --json). Internal fields (seq, secret hashes) never leave through here.
 */
import { iso } from '../core/clock.ts';
import type { ClusterEvent } from '../core/cluster.ts';
import type { Device } from '../core/device.ts';
import { effectiveSlots, freeSlots, policyReason, publicStatus, speedScore } from '../core/device.ts';
import type { Task } from '../core/task.ts';
import {
  type DeviceMetrics,
  type DeviceProfile,
  TASK_STATUS_VALUES,
  type TaskStatus,
} from '../protocol/messages.ts';

export interface TaskView extends Omit<Task, 'seq' | 'not_before'> {
  next_attempt_at: string | null;
}

export function taskView(task: Task): TaskView {
  const { seq: _seq, not_before, ...rest } = task;
  return { ...rest, next_attempt_at: not_before === null ? null : iso(not_before) };
}

export interface DeviceView extends DeviceProfile {
  status: ReturnType<typeof publicStatus>;
  draining: boolean;
  registered_at: string;
  last_seen: string;
  disconnected_at: string | null;
  metrics: DeviceMetrics | null;
  running_tasks: string[];
  free_slots: number;
  /** Slots its policies allow now (battery, heat, owner pause); max_concurrent_tasks when none limit it. */
  effective_slots: number;
  /** Why it gets no new work (effective_slots 0) or less of it; null when nothing limits it. */
  paused_reason: string | null;
  /** CPU benchmark, higher is faster (a typical core ≈ 100); null until the worker reports one. */
  speed_score: number | null;
}

export function deviceView(device: Device): DeviceView {
  return {
    ...device.profile,
    status: publicStatus(device),
    draining: device.draining,
    registered_at: device.registered_at,
    last_seen: iso(device.last_seen),
    disconnected_at: device.disconnected_at === null ? null : iso(device.disconnected_at),
    metrics: device.metrics,
    running_tasks: [...device.running.keys()],
    free_slots: freeSlots(device),
    effective_slots: effectiveSlots(device),
    paused_reason: policyReason(device),
    speed_score: speedScore(device),
  };
}

export const TASK_STATUSES: readonly TaskStatus[] = TASK_STATUS_VALUES;

export interface EventView {
  id: number;
  type: string;
  at: string;
  task_id: string | null;
  device_id: string | null;
  data: Record<string, unknown> | null;
}

/** A stored event as the REST API and the text log show it (times as ISO strings, like tasks). */
export function eventView(event: ClusterEvent): EventView {
  return {
    id: event.id,
    type: event.type,
    at: iso(event.at),
    task_id: event.task_id ?? null,
    device_id: event.device_id ?? null,
    data: event.data ?? null,
  };
}
