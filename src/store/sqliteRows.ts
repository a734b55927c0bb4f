/**
 * How domain objects map to rows of the SQLite schema (migrations/0001_init.sql) and back.
 * Parameters are positional arrays in the column order of the statements in sqliteStatements.ts.
 */
import type { SQLInputValue } from 'node:sqlite';
import type { ClusterEvent, HeartbeatSample } from '../core/cluster.ts';
import type { Device } from '../core/device.ts';
import type { Task } from '../core/task.ts';
import type { StoredEvent } from './store.ts';

export interface DeviceRow {
  device_id: string;
  profile: string;
  state: Device['state'];
  draining: number;
  secret_hash: string;
  registered_at: string;
  last_seen: number;
  disconnected_at: number | null;
  metrics: string | null;
}

export interface EventRow {
  id: number;
  task_id: string | null;
  device_id: string | null;
  type: string;
  at: number;
  data: string | null;
}

export interface HeartbeatRow {
  device_id: string;
  at: number;
  metrics: string;
}

export function taskParams(task: Task): SQLInputValue[] {
  return [
    task.seq,
    task.task_id,
    task.status,
    task.priority,
    task.task_type,
    task.assigned_device_id ?? null,
    task.idempotency_key ?? null,
    task.created_at,
    task.completed_at ?? null,
    JSON.stringify(task),
  ];
}

export function deviceParams(device: Device): SQLInputValue[] {
  return [
    device.device_id,
    JSON.stringify(device.profile),
    device.state,
    device.draining ? 1 : 0,
    device.secret_hash,
    device.registered_at,
    device.last_seen,
    device.disconnected_at ?? null,
    device.metrics == null ? null : JSON.stringify(device.metrics),
  ];
}

/** `taskSeq`: the seq of the event's task, by which the store finds a task's events. */
export function eventParams(event: ClusterEvent, taskSeq: number | null): SQLInputValue[] {
  return [
    event.id,
    event.task_id ?? null,
    taskSeq,
    event.device_id ?? null,
    event.type,
    event.at,
    event.data === undefined ? null : JSON.stringify(event.data),
  ];
}

export function heartbeatParams(sample: HeartbeatSample): SQLInputValue[] {
  return [sample.device_id, sample.at, JSON.stringify(sample.metrics)];
}

export function rowToDevice(row: DeviceRow): Device {
  return {
    device_id: row.device_id,
    profile: JSON.parse(row.profile),
    state: row.state,
    draining: row.draining !== 0,
    secret_hash: row.secret_hash,
    registered_at: row.registered_at,
    last_seen: row.last_seen,
    disconnected_at: row.disconnected_at,
    metrics: row.metrics === null ? null : JSON.parse(row.metrics),
    // Never stored: the slots a device holds are rebuilt from the tasks assigned to it.
    running: new Map(),
  };
}

/** Leaves out what the event never had, so a stored event equals the one committed plus its id. */
export function rowToEvent(row: EventRow): StoredEvent {
  const event: StoredEvent = { id: row.id, type: row.type, at: row.at };
  if (row.task_id !== null) event.task_id = row.task_id;
  if (row.device_id !== null) event.device_id = row.device_id;
  if (row.data !== null) event.data = JSON.parse(row.data);
  return event;
}

export function rowToHeartbeat(row: HeartbeatRow): HeartbeatSample {
  return { device_id: row.device_id, at: row.at, metrics: JSON.parse(row.metrics) };
}

export function parseTask(data: string): Task {
  return JSON.parse(data) as Task;
}
