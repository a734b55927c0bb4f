/**
 * Glossary
 * - task: a unit of work submitted by a person or program; the main node owns its lifecycle.
 * - attempt: one assignment of a task to a device (1, 2, ...). Only the current attempt's result counts.
 * - retry: a failed, timed-out or lost attempt that goes back to the queue; `max_retries` bounds them.
 * - not_before: when a retried task may be placed again (exponential backoff), in ms since the epoch.
 * - straggler: a running attempt that takes much longer than its type usually does.
 * - speculative copy: a second live attempt of a straggler on another device; the first result
 *   wins and the other attempt is cancelled. Only for tasks that may safely run twice.
 */
import type { Priority, TaskStatus, TerminalStatus } from '../protocol/messages.ts';

export interface TaskRequirements {
  min_cpu_cores?: number;
  min_memory_gb?: number;
  min_storage_gb?: number;
  required_platform?: string;
  required_role?: string;
  required_tags?: string[];
  gpu_required?: boolean;
  device_id?: string;
  /** Prefer faster devices (by speed score); the default for python_eval and shell_command. */
  cpu_heavy?: boolean;
}

/** A live attempt beside the task's own (`attempt` on `assigned_device_id`). */
export interface AttemptRef {
  device_id: string;
  attempt: number;
}

export interface TaskErrorEntry {
  attempt: number;
  device_id: string | null;
  status: TerminalStatus | 'lost' | 'rejected';
  error: string;
  at: string;
}

export interface TaskResult {
  status: TerminalStatus;
  result_data: unknown;
  error: string | null;
  device_id: string | null;
  attempt: number;
  duration_ms: number | null;
}

export interface Task {
  task_id: string;
  task_type: string;
  payload: unknown;
  priority: Priority;
  requirements: TaskRequirements;
  timeout_seconds: number;
  max_retries: number;
  metadata: Record<string, unknown>;
  idempotency_key: string | null;
  status: TaskStatus;
  attempt: number;
  assigned_device_id: string | null;
  created_at: string;
  assigned_at: string | null;
  started_at: string | null;
  completed_at: string | null;
  retry_count: number;
  error_history: TaskErrorEntry[];
  result: TaskResult | null;
  /** Submission order: ties in age are broken by it, and the queue is ordered by it. */
  seq: number;
  not_before: number | null;
  /** May run twice at once (a speculative copy of a straggler); absent = the type's default. */
  speculative?: boolean;
  /** The speculative copy while one runs. */
  speculative_copy?: AttemptRef | null;
  /** The highest attempt number ever handed out, so a copy's number is never reused. */
  last_attempt?: number;
}

/** What a submitter provides; everything else is set by the cluster. */
export interface TaskInput {
  task_type: string;
  payload?: unknown;
  priority?: Priority;
  requirements?: TaskRequirements;
  timeout_seconds?: number;
  max_retries?: number;
  metadata?: Record<string, unknown>;
  idempotency_key?: string | null;
  speculative?: boolean;
}

export const TASK_DEFAULTS = { priority: 'normal', timeout_seconds: 300, max_retries: 3 } as const;

export const PRIORITY_RANK: Readonly<Record<Priority, number>> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** Built-ins that may run twice without harm; shell_command and http_request may not (side effects). */
export const SPECULATIVE_BY_DEFAULT: ReadonlySet<string> = new Set([
  'echo',
  'sleep',
  'system_info',
  'python_eval',
]);

/** Types that mostly burn CPU, so a faster device finishes them sooner. */
export const CPU_HEAVY_BY_DEFAULT: ReadonlySet<string> = new Set(['python_eval', 'shell_command']);

export function isSpeculative(task: Pick<Task, 'task_type' | 'speculative'>): boolean {
  return task.speculative ?? SPECULATIVE_BY_DEFAULT.has(task.task_type);
}

export function isCpuHeavy(task: { task_type: string; requirements: TaskRequirements }): boolean {
  return task.requirements.cpu_heavy ?? CPU_HEAVY_BY_DEFAULT.has(task.task_type);
}
