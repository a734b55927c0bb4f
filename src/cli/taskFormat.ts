/** Tasks for people: a table, a detail view, and the outcome of a finished task. */
import type { TaskView } from '../main/views.ts';
import { ago, formatDuration, oneLine } from './format.ts';
import { formatTable } from './table.ts';

export function taskTable(tasks: readonly TaskView[]): string {
  if (tasks.length === 0) return 'No tasks.';
  return formatTable(
    ['TASK', 'TYPE', 'STATUS', 'PRIORITY', 'DEVICE', 'ATTEMPT', 'CREATED', 'TOOK'],
    tasks.map((t) => [
      t.task_id,
      t.task_type,
      t.status,
      t.priority,
      t.assigned_device_id ?? t.result?.device_id ?? null,
      t.attempt,
      ago(t.created_at),
      t.result?.duration_ms == null ? null : formatDuration(t.result.duration_ms),
    ]),
  );
}

export function describeTask(t: TaskView): string {
  const lines = [
    `${t.task_id}  ${t.status}`,
    `  type ${t.task_type}, priority ${t.priority}, attempt ${t.attempt} (retries ${t.retry_count}/${t.max_retries}), timeout ${t.timeout_seconds}s`,
    `  payload: ${oneLine(t.payload, 200)}`,
  ];
  if (Object.keys(t.requirements).length) lines.push(`  requirements: ${oneLine(t.requirements, 200)}`);
  const device = t.assigned_device_id ?? t.result?.device_id;
  if (device) lines.push(`  device: ${device}`);
  lines.push(
    `  created ${t.created_at}${t.started_at ? `, started ${t.started_at}` : ''}${t.completed_at ? `, completed ${t.completed_at}` : ''}`,
  );
  if (t.next_attempt_at) lines.push(`  next attempt at ${t.next_attempt_at}`);
  for (const e of t.error_history) {
    lines.push(
      `  attempt ${e.attempt} ${e.status}${e.device_id ? ` on ${e.device_id}` : ''}: ${oneLine(e.error, 160)}`,
    );
  }
  if (t.result) {
    if (t.result.error) lines.push(`  error: ${t.result.error}`);
    if (t.result.result_data !== undefined && t.result.result_data !== null) {
      lines.push('  result:', indent(JSON.stringify(t.result.result_data, null, 2), 4));
    }
  }
  return lines.join('\n');
}

/** What `submit --wait` and `tasks wait` print when the task is done: status line, result, error. */
export function printOutcome(task: TaskView): void {
  const where = task.result?.device_id ? ` on ${task.result.device_id}` : '';
  const attempts = task.attempt > 1 ? ` after ${task.attempt} attempts` : '';
  const took = task.result?.duration_ms == null ? '' : ` in ${formatDuration(task.result.duration_ms)}`;
  console.log(`${task.task_id}  ${task.status}${where}${attempts}${took}`);
  if (task.result?.result_data !== undefined && task.result.result_data !== null) {
    console.log(JSON.stringify(task.result.result_data, null, 2));
  }
  if (task.result?.error) console.error(`error: ${task.result.error}`);
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}
