/** Fetching whole lists through the paged API, and the CSV/TSV form of tasks. */
import type { DevicePage } from '../../main/deviceQueries.ts';
import type { TaskPageView } from '../../main/taskQueries.ts';
import type { DeviceView, TaskView } from '../../main/views.ts';
import { renderTable } from '../../http/textTable.ts';
import type { TerminalClient } from '../client.ts';
import { query } from './context.ts';

const PAGE_SIZE = 100;
export const EXPORT_LIMIT = 10_000;

export async function allDevices(
  client: TerminalClient,
  filter: Record<string, string | undefined> = {},
): Promise<DeviceView[]> {
  const devices: DeviceView[] = [];
  for (let page = 1; ; page++) {
    const data = await client.json<DevicePage>(
      'GET',
      `/api/v1/devices${query({ ...filter, page, page_size: PAGE_SIZE })}`,
    );
    devices.push(...data.devices);
    if (!data.pagination.has_next) return devices;
  }
}

export async function allTasks(
  client: TerminalClient,
  filter: Record<string, string | undefined> = {},
  limit = EXPORT_LIMIT,
): Promise<TaskView[]> {
  const tasks: TaskView[] = [];
  for (let page = 1; tasks.length < limit; page++) {
    const data = await client.json<TaskPageView>(
      'GET',
      `/api/v1/tasks${query({ ...filter, page, page_size: PAGE_SIZE })}`,
    );
    tasks.push(...data.tasks);
    if (!data.pagination.has_next) break;
  }
  return tasks.slice(0, limit);
}

const TASK_COLUMNS = [
  'task_id',
  'task_type',
  'status',
  'priority',
  'device_id',
  'attempt',
  'retry_count',
  'created_at',
  'started_at',
  'completed_at',
  'duration_ms',
  'error',
];

export function tasksAsTable(tasks: readonly TaskView[], format: 'csv' | 'tsv'): string {
  const rows = tasks.map((t) => [
    t.task_id,
    t.task_type,
    t.status,
    t.priority,
    t.assigned_device_id ?? t.result?.device_id,
    t.attempt,
    t.retry_count,
    t.created_at,
    t.started_at,
    t.completed_at,
    t.result?.duration_ms,
    t.result?.error,
  ]);
  return renderTable(TASK_COLUMNS, rows, format);
}

/** The device table the way `/text/devices` gives it (same columns for the page and for curl). */
export function devicesAsText(
  client: TerminalClient,
  filter: Record<string, string | undefined>,
  format: 'csv' | 'tsv',
) {
  const accept = format === 'csv' ? 'text/csv' : 'text/tab-separated-values';
  return client.text(`/text/devices${query(filter)}`, accept);
}
