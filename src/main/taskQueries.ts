/**
 * Read-side use-cases about tasks: paged history, status, result, event history, statistics and the
 * task types the cluster can run. Listings read the store after a commit, so they cover the whole
 * history (memory keeps only the unfinished and the most recent finished tasks) and agree with memory.
 */
import { BUILTIN_TASK_TYPES, isTerminal, type TaskStatus } from '../protocol/messages.ts';
import { ClusterError, ErrorCode } from '../protocol/errorCodes.ts';
import type { TaskResult } from '../core/task.ts';
import { type Pagination, pagination } from './pagination.ts';
import { type LatencySummary, summarize } from './percentiles.ts';
import { taskListQuerySchema } from './schemas.ts';
import type { ServiceDeps } from './service.ts';
import { validate } from './validate.ts';
import { type EventView, eventView, TASK_STATUSES, type TaskView, taskView } from './views.ts';

export interface TaskPageView {
  tasks: TaskView[];
  count: number;
  pagination: Pagination;
}

export async function listTasks(deps: ServiceDeps, query: unknown): Promise<TaskPageView> {
  const { page, page_size, ...filter } = validate(taskListQuerySchema, query);
  await deps.journal.commit();
  const found = await deps.store.listTasks({ ...filter, limit: page_size, offset: (page - 1) * page_size });
  const tasks = found.tasks.map(taskView);
  return { tasks, count: tasks.length, pagination: pagination(page, page_size, found.total) };
}

export interface TaskStatusView {
  task_id: string;
  task_type: string;
  status: TaskStatus;
  attempt: number;
  retry_count: number;
  max_retries: number;
  assigned_device_id: string | null;
  created_at: string;
  assigned_at: string | null;
  started_at: string | null;
  completed_at: string | null;
  next_attempt_at: string | null;
  last_error: string | null;
  is_terminal: boolean;
  can_retry: boolean;
}

export function taskStatus(deps: ServiceDeps, task: TaskView): TaskStatusView {
  const lastError = task.result?.error ?? task.error_history.at(-1)?.error ?? null;
  return {
    task_id: task.task_id,
    task_type: task.task_type,
    status: task.status,
    attempt: task.attempt,
    retry_count: task.retry_count,
    max_retries: task.max_retries,
    assigned_device_id: task.assigned_device_id,
    created_at: task.created_at,
    assigned_at: task.assigned_at,
    started_at: task.started_at,
    completed_at: task.completed_at,
    next_attempt_at: task.next_attempt_at,
    last_error: lastError,
    is_terminal: isTerminal(task.status),
    // As `retryTask` decides: finished without success, and still held by the main node.
    can_retry: isTerminal(task.status) && task.status !== 'success' && deps.cluster.tasks.has(task.task_id),
  };
}

export interface TaskResultView extends TaskResult {
  task_id: string;
  completed_at: string | null;
}

export function taskResult(task: TaskView): TaskResultView {
  if (!task.result) {
    throw new ClusterError(
      ErrorCode.NoTaskResult,
      `task ${task.task_id} has no result yet (it is ${task.status})`,
    );
  }
  return { task_id: task.task_id, ...task.result, completed_at: task.completed_at };
}

export async function taskEvents(deps: ServiceDeps, taskId: string): Promise<EventView[]> {
  await deps.journal.commit();
  return (await deps.store.taskEvents(taskId)).map(eventView);
}

export interface TaskStatistics {
  /** Every stored task. */
  total: number;
  by_status: Record<string, number>;
  /** Percent of finished tasks (cancelled ones aside) that succeeded; null before any finished. */
  success_rate: number | null;
  /** Over the tasks the main node holds in memory: every unfinished one and the most recent finished. */
  recent: {
    tasks: number;
    by_type: Record<string, Record<string, number>>;
    by_priority: Record<string, number>;
    duration_ms: LatencySummary;
    finished_last_minute: number;
    finished_last_hour: number;
  };
}

export async function taskStatistics(deps: ServiceDeps): Promise<TaskStatistics> {
  await deps.journal.commit();
  const byStatus: Record<string, number> = {};
  let total = 0;
  for (const status of TASK_STATUSES) {
    const { total: n } = await deps.store.listTasks({ status, limit: 0, offset: 0 });
    byStatus[status] = n;
    total += n;
  }
  const finished = (byStatus.success ?? 0) + (byStatus.failed ?? 0) + (byStatus.timeout ?? 0);
  const now = deps.clock.now();
  const byType: Record<string, Record<string, number>> = {};
  const byPriority: Record<string, number> = { urgent: 0, high: 0, normal: 0, low: 0 };
  const durations: number[] = [];
  let lastMinute = 0;
  let lastHour = 0;
  for (const task of deps.cluster.tasks.values()) {
    const counts = (byType[task.task_type] ??= { total: 0 });
    counts.total = (counts.total ?? 0) + 1;
    counts[task.status] = (counts[task.status] ?? 0) + 1;
    byPriority[task.priority] = (byPriority[task.priority] ?? 0) + 1;
    if (task.result?.status === 'success' && task.result.duration_ms !== null)
      durations.push(task.result.duration_ms);
    if (task.completed_at !== null && isTerminal(task.status)) {
      const age = now - Date.parse(task.completed_at);
      if (age <= 60_000) lastMinute += 1;
      if (age <= 3_600_000) lastHour += 1;
    }
  }
  return {
    total,
    by_status: byStatus,
    success_rate: finished === 0 ? null : Math.round(((byStatus.success ?? 0) / finished) * 1000) / 10,
    recent: {
      tasks: deps.cluster.tasks.size,
      by_type: byType,
      by_priority: byPriority,
      duration_ms: summarize(durations),
      finished_last_minute: lastMinute,
      finished_last_hour: lastHour,
    },
  };
}

export interface TaskTypeView {
  task_type: string;
  builtin: boolean;
  /** Online devices that accept it (a worker may narrow the built-ins with --allow / --deny). */
  devices: string[];
}

export function taskTypes(deps: ServiceDeps): TaskTypeView[] {
  const builtin = new Set<string>(BUILTIN_TASK_TYPES);
  const byType = new Map<string, string[]>([...builtin].map((type) => [type, []]));
  for (const device of deps.cluster.devices.values()) {
    if (device.state !== 'online') continue;
    for (const type of device.profile.task_types) {
      const devices = byType.get(type) ?? [];
      devices.push(device.device_id);
      byType.set(type, devices);
    }
  }
  return [...byType]
    .map(([task_type, devices]) => ({ task_type, builtin: builtin.has(task_type), devices: devices.sort() }))
    .sort((a, b) => a.task_type.localeCompare(b.task_type));
}
