/**
 * One readable line per cluster event, for `monitor` in the terminal and the page's event log.
 * Pure: the browser bundles it.
 */
import type { Colour, Paint } from '../ansi.ts';
import { clock, oneLine } from './time.ts';

export interface EventLike {
  type: string;
  /** ms since the epoch (SSE) or ISO text (REST). */
  at: number | string;
  task_id?: string | null;
  device_id?: string | null;
  data?: Record<string, unknown> | null;
}

export function eventColour(type: string): Colour | null {
  const outcome = type.slice(type.indexOf('.') + 1);
  if (['success', 'online', 'reconnected', 'undrained', 'resumed'].includes(outcome)) return 'green';
  if (['failed', 'offline', 'timeout', 'removed', 'result_fenced'].includes(outcome)) return 'red';
  if (
    ['disconnected', 'retrying', 'draining', 'cancelled', 'paused', 'limited', 'attempt_dropped'].includes(
      outcome,
    )
  ) {
    return 'yellow';
  }
  if (['assigned', 'started', 'speculative'].includes(outcome)) return 'cyan';
  return null;
}

export interface EventParts {
  time: string;
  type: string;
  /** `task 5f0c… on w1`, `device w1`, or empty. */
  subject: string;
  detail: string;
}

export function eventParts(e: EventLike, options: { shortIds?: boolean } = {}): EventParts {
  const at = typeof e.at === 'number' ? e.at : Date.parse(e.at);
  const id = (value: string) => (options.shortIds && value.length > 12 ? value.slice(0, 8) + '…' : value);
  const subject: string[] = [];
  if (e.task_id) subject.push(`task ${id(e.task_id)}`);
  if (e.device_id) subject.push(`${e.task_id ? 'on' : 'device'} ${e.device_id}`);
  return {
    time: clock(Number.isNaN(at) ? Date.now() : at),
    type: e.type,
    subject: subject.join(' '),
    detail: eventDetail(e.type, e.data ?? undefined),
  };
}

/** `14:03:07  task.success        task 5f0c… on w1  {"echo":1}` */
export function eventLine(e: EventLike, paint: Paint, options: { shortIds?: boolean } = {}): string {
  const parts = eventParts(e, options);
  const colour = eventColour(e.type);
  const type = parts.type.padEnd(16);
  return [
    paint.dim(parts.time),
    colour ? paint[colour](type) : type,
    parts.subject,
    parts.detail && paint.dim(parts.detail),
  ]
    .filter(Boolean)
    .join('  ');
}

function eventDetail(type: string, data: Record<string, unknown> | undefined): string {
  if (!data) return '';
  switch (type) {
    case 'task.submitted':
      return `${String(data.task_type ?? '')} (${String(data.priority ?? 'normal')})`;
    case 'task.assigned':
      // The first attempt is the usual case; only a retry's number says something.
      return Number(data.attempt ?? 1) > 1 ? `attempt ${String(data.attempt)}` : '';
    case 'task.retrying':
      return `retry ${String(data.retry_count ?? '?')}${data.error ? `: ${oneLine(data.error, 60)}` : ''}`;
    case 'device.metrics':
      return metricsDetail(data.metrics as Record<string, unknown> | undefined);
    default:
      if (data.error !== undefined) return oneLine(data.error, 80);
      return Object.entries(data)
        .filter(([, v]) => v !== undefined && v !== null && v !== '')
        .map(([k, v]) => `${k}=${oneLine(v, 40)}`)
        .join(' ');
  }
}

function metricsDetail(m: Record<string, unknown> | undefined): string {
  if (!m) return '';
  const pct = (v: unknown) => `${Math.round(Number(v))}%`;
  return [
    m.cpu_percent == null ? null : `cpu ${pct(m.cpu_percent)}`,
    m.memory_percent == null ? null : `mem ${pct(m.memory_percent)}`,
    m.battery_percent == null ? null : `battery ${pct(m.battery_percent)}`,
    m.running_tasks == null ? null : `running ${String(m.running_tasks)}`,
  ]
    .filter(Boolean)
    .join(' ');
}
