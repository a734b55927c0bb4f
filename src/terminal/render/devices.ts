/** Devices as the terminal shows them: a table that fits the screen, and one device in detail. */
import type { DeviceDetail } from '../../main/deviceQueries.ts';
import type { DeviceView } from '../../main/views.ts';
import { type Paint, statusColour } from '../ansi.ts';
import { type Cell, type Column, renderColumns } from '../columns.ts';
import { ago, oneLine, percent } from './time.ts';

const COLUMNS: Column[] = [
  { header: 'DEVICE' },
  { header: 'STATUS' },
  { header: 'ROLE', drop: 3 },
  { header: 'PLATFORM', drop: 4 },
  { header: 'CPU', drop: 5 },
  { header: 'MEM', drop: 2 },
  { header: 'BATT', drop: 6 },
  { header: 'TASKS', drop: 1 },
  { header: 'LAST SEEN', drop: 7 },
];

export function deviceStatusLabel(d: Pick<DeviceView, 'status' | 'draining'>): string {
  return d.draining && d.status !== 'draining' ? `${d.status} (draining)` : d.status;
}

export function deviceTable(devices: readonly DeviceView[], paint: Paint, width?: number): string {
  if (devices.length === 0) return paint.dim('No devices.');
  const rows: Cell[][] = devices.map((d) => [
    d.device_id,
    { text: deviceStatusLabel(d), colour: statusColour(d.status) },
    d.role,
    `${d.platform}/${d.arch}`,
    percent(d.metrics?.cpu_percent),
    percent(d.metrics?.memory_percent),
    percent(d.metrics?.battery_percent),
    `${d.running_tasks.length}/${d.max_concurrent_tasks}`,
    ago(d.last_seen),
  ]);
  return renderColumns(COLUMNS, rows, { paint, width });
}

export function describeDevice(detail: DeviceDetail, paint: Paint): string {
  const d = detail.device;
  const m = detail.latest_metrics ?? d.metrics;
  const label = (name: string) => paint.dim(name.padEnd(10));
  const lines = [
    `${paint.bold(d.device_id)}  ${paint[statusColour(d.status)](deviceStatusLabel(d))}`,
    `${label('role')}${d.role}, ${d.platform}/${d.arch}, host ${d.hostname}${d.is_termux ? ' (Termux)' : ''}`,
    `${label('hardware')}${d.cpu_count} cores (${d.cpu_model ?? 'unknown model'}), ${d.memory_total_gb} GB memory, ${d.storage_total_gb ?? '?'} GB storage${d.gpu ? `, GPU ${d.gpu}` : ''}`,
    `${label('software')}node ${d.node_version}${d.python_version ? `, python ${d.python_version}` : ''}`,
    `${label('tags')}${d.tags.join(', ') || '-'}`,
    `${label('accepts')}${d.task_types.join(', ')}`,
  ];
  if (m) {
    const parts = [
      m.cpu_percent == null ? null : `cpu ${percent(m.cpu_percent)}`,
      m.memory_percent == null ? null : `memory ${percent(m.memory_percent)}`,
      m.storage_free_gb == null ? null : `${m.storage_free_gb} GB free`,
      m.battery_percent == null
        ? null
        : `battery ${percent(m.battery_percent)}${m.battery_charging ? ' (charging)' : ''}`,
      m.temperature_c == null ? null : `${m.temperature_c}°C`,
      m.load_avg ? `load ${m.load_avg.map((l) => l.toFixed(2)).join(' ')}` : null,
    ].filter(Boolean);
    if (parts.length) lines.push(`${label('now')}${parts.join(', ')}`);
  }
  lines.push(`${label('running')}${d.running_tasks.length}/${d.max_concurrent_tasks}`);
  for (const task of detail.running_tasks) {
    lines.push(
      `${' '.repeat(10)}${task.task_id}  ${task.task_type}  ${paint[statusColour(task.status)](task.status)}  ${oneLine(task.payload, 40)}`,
    );
  }
  lines.push(`${label('joined')}${d.registered_at}`);
  lines.push(`${label('last seen')}${d.last_seen} (${ago(d.last_seen)})`);
  if (d.disconnected_at) lines.push(`${label('lost at')}${d.disconnected_at}`);
  return lines.join('\n');
}
