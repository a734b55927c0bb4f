/**
 * Glossary
 * - device profile: what a worker says about itself at register (DESIGN §5); fixed for the session.
 * - metrics: what a worker measures at each heartbeat; `null` wherever a value is unknown.
 * - task spec: the part of a task a worker needs to run it, sent in `task_assign`.
 * - attempt: 1, 2, ... per task; a result for any other attempt than the current one is fenced off.
 */
import type { Envelope } from './envelope.ts';
import type { MessageType } from './messageTypes.ts';

export const TaskStatus = {
  Pending: 'pending',
  Queued: 'queued',
  Assigned: 'assigned',
  Running: 'running',
  Success: 'success',
  Failed: 'failed',
  Cancelled: 'cancelled',
  Timeout: 'timeout',
} as const;
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];
/** Every status, in lifecycle order (for enums, filters and counters). */
export const TASK_STATUS_VALUES = Object.values(TaskStatus) as [TaskStatus, ...TaskStatus[]];

export const TERMINAL_STATUSES: readonly TaskStatus[] = ['success', 'failed', 'cancelled', 'timeout'];
export type TerminalStatus = 'success' | 'failed' | 'cancelled' | 'timeout';

export function isTerminal(status: TaskStatus): status is TerminalStatus {
  return status === 'success' || status === 'failed' || status === 'cancelled' || status === 'timeout';
}

export const Priority = { Low: 'low', Normal: 'normal', High: 'high', Urgent: 'urgent' } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

export const BUILTIN_TASK_TYPES = [
  'echo',
  'sleep',
  'system_info',
  'python_eval',
  'shell_command',
  'http_request',
] as const;
export type BuiltinTaskType = (typeof BUILTIN_TASK_TYPES)[number];
/** Aliases accepted on submit and by workers; resolved to the canonical name. */
export const TASK_TYPE_ALIASES: Readonly<Record<string, BuiltinTaskType>> = { command: 'shell_command' };

export interface DeviceProfile {
  device_id: string;
  role: string;
  platform: string;
  arch: string;
  hostname: string;
  cpu_count: number;
  cpu_model: string | null;
  memory_total_gb: number;
  storage_total_gb: number | null;
  gpu: string | null;
  node_version: string;
  python_version: string | null;
  is_termux: boolean;
  tags: string[];
  capabilities: Record<string, unknown>;
  task_types: string[];
  max_concurrent_tasks: number;
}

export interface DeviceMetrics {
  cpu_percent: number | null;
  memory_percent: number | null;
  memory_available_gb: number | null;
  storage_free_gb: number | null;
  load_avg: number[] | null;
  battery_percent: number | null;
  battery_charging: boolean | null;
  temperature_c: number | null;
  running_tasks: number;
  /** The worker's CPU benchmark: higher is faster, a typical core ≈ 100 (absent from older workers). */
  speed_score?: number | null;
  /** The kernel reports CPU frequency throttling since the last sample (null: cannot tell). */
  cpu_throttled?: boolean | null;
}

export interface TaskRef {
  task_id: string;
  attempt: number;
}

export interface RegisterData extends DeviceProfile {
  protocol_version: number;
  auth: { join_token?: string; device_secret?: string };
  /** Tasks the worker still runs (after a reconnect), so the main node lets it keep them. */
  running_tasks?: TaskRef[];
  metrics?: DeviceMetrics;
  paused?: { reason: string } | null;
}

export interface RegisterResult {
  success: true;
  device_id: string;
  /** Only on the first join: the worker stores it and uses it instead of the join token from then on. */
  device_secret?: string;
  heartbeat_interval: number;
  heartbeat_timeout: number;
}

export interface HeartbeatData {
  metrics: DeviceMetrics;
  running_tasks: string[];
  /** The owner's policy (schedule, idle, CPU, memory) says no new work now, and why. */
  paused?: { reason: string } | null;
}

export interface TaskSpec {
  task_id: string;
  task_type: string;
  payload: unknown;
  priority: Priority;
  timeout_seconds: number;
  attempt: number;
  metadata: Record<string, unknown>;
}

export interface TaskAssignData {
  task: TaskSpec;
}

export interface TaskProgressData extends TaskRef {
  status: 'running';
  progress?: number;
  message?: string;
}

export interface TaskResultData extends TaskRef {
  status: TerminalStatus;
  result_data?: unknown;
  error?: string;
  started_at?: string;
  completed_at?: string;
  duration_ms?: number;
}

export type TaskCancelData = TaskRef;

export interface AckData {
  original_message_id: string;
  result?: unknown;
}

export interface ErrorData {
  original_message_id: string | null;
  code: string;
  error: string;
  details?: unknown;
}

/** Management messages carry the API token (or an earlier message on the same connection did). */
export interface ManagementAuth {
  auth?: { api_token?: string };
}

/** The data carried by each message type, for the discriminated union below. */
export interface MessageDataMap {
  register: RegisterData;
  heartbeat: HeartbeatData;
  status: ManagementAuth & Record<string, unknown>;
  list_devices: ManagementAuth & Record<string, unknown>;
  device_info: ManagementAuth & { device_id?: string };
  task_assign: TaskAssignData;
  task_status: (TaskProgressData | (ManagementAuth & { task_id: string })) & Record<string, unknown>;
  task_result: TaskResultData;
  task_cancel: TaskCancelData & ManagementAuth;
  task_request: Record<string, unknown>;
  task_submit: ManagementAuth & Record<string, unknown>;
  ack: AckData;
  error: ErrorData;
}

export type Message = { [K in MessageType]: Envelope<K, MessageDataMap[K]> }[MessageType];
export type MessageOf<K extends MessageType> = Envelope<K, MessageDataMap[K]>;
