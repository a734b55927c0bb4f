/** One readable line per cluster event: time, type, ids, a short detail. */
import type { StreamEvent } from './eventStream.ts';
import { clockTime, keyValues, oneLine } from './format.ts';

export function eventLine(event: StreamEvent): string {
  const e = event.data;
  const at = typeof e.at === 'number' ? e.at : Date.now();
  const type = typeof e.type === 'string' ? e.type : event.event;
  const parts = [clockTime(at), type.padEnd(20)];
  if (typeof e.task_id === 'string') parts.push(`task ${e.task_id}`);
  if (typeof e.device_id === 'string')
    parts.push(`${typeof e.task_id === 'string' ? 'on' : 'device'} ${e.device_id}`);
  const detail = eventDetail(type, (e.data ?? undefined) as Record<string, unknown> | undefined);
  if (detail) parts.push(detail);
  return parts.join('  ');
}

function eventDetail(type: string, data: Record<string, unknown> | undefined): string {
  if (!data) return '';
  switch (type) {
    case 'task.submitted':
      return `${String(data.task_type ?? '')} (${String(data.priority ?? 'normal')})`;
    case 'task.assigned':
      return `attempt ${String(data.attempt ?? 1)}`;
    case 'task.retrying':
      return `retry ${String(data.retry_count ?? '?')} after ${String(data.reason ?? 'failure')}${data.error ? `: ${oneLine(data.error)}` : ''}`;
    case 'device.metrics':
      return metricsDetail(data.metrics as Record<string, unknown> | undefined);
    default:
      return data.error !== undefined ? oneLine(data.error) : keyValues(data);
  }
}

function metricsDetail(m: Record<string, unknown> | undefined): string {
  if (!m) return '';
  const parts = [
    m.cpu_percent == null ? null : `cpu ${String(m.cpu_percent)}%`,
    m.memory_percent == null ? null : `mem ${String(m.memory_percent)}%`,
    m.battery_percent == null ? null : `battery ${String(m.battery_percent)}%`,
    m.running_tasks == null ? null : `running ${String(m.running_tasks)}`,
  ];
  return parts.filter(Boolean).join(' ');
}
