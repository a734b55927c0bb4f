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

/**
 * A task as stored, in TASK_COLUMNS order: its columns, then in `data` the rest of it as JSON. Read
 * as arrays: at 100,000 tasks (a restart with a deep queue), objects with ten keys cost 0.1 s more.
 */
export type TaskRow = [
  seq: number,
  task_id: string,
  status: Task['status'],
  priority: Task['priority'],
  task_type: string,
  assigned_device_id: string | null,
  idempotency_key: string | null,
  created_at: string,
  completed_at: string | null,
  data: string,
];

/** What SELECTs of whole tasks read, for rowToTask(); their statements return arrays. */
export const TASK_COLUMNS =
  'seq, task_id, status, priority, task_type, assigned_device_id, idempotency_key, created_at, completed_at, data';

/**
 * `data` leaves out what the columns hold: a task is written three times on its way through, and
 * those fields were half of each row, and so of the pages each commit writes and each checkpoint
 * copies.
 */
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
    JSON.stringify(taskData(task)),
  ];
}

/**
 * Listed field by field (an object rest with nine exclusions cost more than the JSON): the type
 * makes a field added to Task fail to compile until it is listed here. Undefined optional fields
 * are left out by JSON.stringify.
 */
function taskData(task: Task): Record<Exclude<keyof Task, TaskColumn>, unknown> {
  return {
    payload: task.payload,
    requirements: task.requirements,
    timeout_seconds: task.timeout_seconds,
    max_retries: task.max_retries,
    metadata: task.metadata,
    attempt: task.attempt,
    assigned_at: task.assigned_at,
    started_at: task.started_at,
    retry_count: task.retry_count,
    error_history: task.error_history,
    result: task.result,
    not_before: task.not_before,
    speculative: task.speculative,
    speculative_copy: task.speculative_copy,
    last_attempt: task.last_attempt,
  };
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

/**
 * Rows written before migration 0004 hold the whole task in `data`; the columns are the truth for
 * both kinds. Fields come in the order the cluster creates them, so a task read back prints like
 * one that never left memory.
 */
export function rowToTask(row: TaskRow): Task {
  const [
    seq,
    task_id,
    status,
    priority,
    task_type,
    assigned_device_id,
    idempotency_key,
    created_at,
    completed_at,
  ] = row;
  const rest = JSON.parse(row[9]) as Omit<Task, TaskColumn> & Partial<Pick<Task, TaskColumn>>;
  const task: Task = {
    task_id,
    task_type,
    payload: rest.payload,
    priority,
    requirements: rest.requirements,
    timeout_seconds: rest.timeout_seconds,
    max_retries: rest.max_retries,
    metadata: rest.metadata,
    idempotency_key,
    status,
    attempt: rest.attempt,
    assigned_device_id,
    created_at,
    assigned_at: rest.assigned_at,
    started_at: rest.started_at,
    completed_at,
    retry_count: rest.retry_count,
    error_history: rest.error_history,
    result: rest.result,
    seq,
    not_before: rest.not_before,
  };
  // The optional fields, and any a later version adds, keep their place after the rest.
  for (const key in rest) {
    if (!(key in task))
      (task as unknown as Record<string, unknown>)[key] = (rest as Record<string, unknown>)[key];
  }
  return task;
}

type TaskColumn =
  | 'seq'
  | 'task_id'
  | 'status'
  | 'priority'
  | 'task_type'
  | 'assigned_device_id'
  | 'idempotency_key'
  | 'created_at'
  | 'completed_at';
