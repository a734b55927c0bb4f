/** Tasks as the terminal shows them: a table, one task in detail, and the outcome of a wait. */
import type { TaskView } from '../../main/views.ts';
import { type Paint, statusColour } from '../ansi.ts';
import { type Cell, type Column, renderColumns } from '../columns.ts';
import { ago, duration, oneLine } from './time.ts';

const COLUMNS: Column[] = [
  { header: 'TASK' },
  { header: 'TYPE', drop: 2 },
  { header: 'STATUS' },
  { header: 'PRIORITY', drop: 4 },
  { header: 'DEVICE', drop: 3 },
  { header: 'TRY', drop: 5 },
  { header: 'CREATED', drop: 1 },
  { header: 'TOOK', drop: 6 },
];

export function taskTable(tasks: readonly TaskView[], paint: Paint, width?: number): string {
  if (tasks.length === 0) return paint.dim('No tasks.');
  const rows: Cell[][] = tasks.map((t) => [
    t.task_id,
    t.task_type,
    { text: t.status, colour: statusColour(t.status) },
    t.priority,
    t.assigned_device_id ?? t.result?.device_id,
    t.attempt,
    ago(t.created_at),
    t.result?.duration_ms == null ? null : duration(t.result.duration_ms),
  ]);
  return renderColumns(COLUMNS, rows, { paint, width });
}

export function describeTask(t: TaskView, paint: Paint): string {
  const label = (name: string) => paint.dim(name.padEnd(10));
  const lines = [
    `${paint.bold(t.task_id)}  ${paint[statusColour(t.status)](t.status)}`,
    `${label('type')}${t.task_type}, priority ${t.priority}, timeout ${t.timeout_seconds}s`,
    `${label('attempt')}${t.attempt} (retries ${t.retry_count}/${t.max_retries})`,
    `${label('payload')}${oneLine(t.payload, 200)}`,
  ];
  if (Object.keys(t.requirements).length) lines.push(`${label('needs')}${oneLine(t.requirements, 200)}`);
  const device = t.assigned_device_id ?? t.result?.device_id;
  if (device) lines.push(`${label('device')}${device}`);
  lines.push(`${label('created')}${t.created_at} (${ago(t.created_at)})`);
  if (t.started_at) lines.push(`${label('started')}${t.started_at}`);
  if (t.completed_at) lines.push(`${label('finished')}${t.completed_at}`);
  if (t.next_attempt_at) lines.push(`${label('next try')}${t.next_attempt_at}`);
  for (const e of t.error_history) {
    lines.push(
      `${label(`attempt ${e.attempt}`)}${paint[statusColour(e.status)](e.status)}${e.device_id ? ` on ${e.device_id}` : ''}: ${oneLine(e.error, 160)}`,
    );
  }
  if (t.result?.error) lines.push(`${label('error')}${paint.red(t.result.error)}`);
  if (t.result?.result_data != null)
    lines.push(paint.dim('result:'), JSON.stringify(t.result.result_data, null, 2));
  return lines.join('\n');
}

/** `<id>  success on w1 in 12ms`, then the result or the error. */
export function taskOutcome(t: TaskView, paint: Paint): string {
  const where = t.result?.device_id ? ` on ${t.result.device_id}` : '';
  const attempts = t.attempt > 1 ? ` after ${t.attempt} attempts` : '';
  const took = t.result?.duration_ms == null ? '' : ` in ${duration(t.result.duration_ms)}`;
  const lines = [`${t.task_id}  ${paint[statusColour(t.status)](t.status)}${where}${attempts}${took}`];
  if (t.result?.result_data != null) lines.push(JSON.stringify(t.result.result_data, null, 2));
  if (t.result?.error) lines.push(paint.red(`error: ${t.result.error}`));
  return lines.join('\n');
}
