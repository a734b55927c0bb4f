/** Devices for people: an aligned table and a detail view. */
import type { DeviceView } from '../main/views.ts';
import { ago } from './format.ts';
import { formatTable } from './table.ts';

export function deviceTable(devices: readonly DeviceView[]): string {
  if (devices.length === 0) return 'No devices.';
  return formatTable(
    [
      'DEVICE',
      'STATUS',
      'ROLE',
      'PLATFORM',
      'CPU',
      'MEM GB',
      'CPU %',
      'BATTERY',
      'TASKS',
      'LAST SEEN',
      'PAUSED',
    ],
    devices.map((d) => [
      d.device_id,
      d.draining && d.status !== 'draining' ? `${d.status} (draining)` : d.status,
      d.role,
      d.platform,
      d.cpu_count,
      d.memory_total_gb,
      d.metrics?.cpu_percent ?? null,
      d.metrics?.battery_percent == null ? null : `${d.metrics.battery_percent}%`,
      `${d.running_tasks.length}/${d.max_concurrent_tasks}`,
      ago(d.last_seen),
      // Older main nodes send no paused_reason: show nothing rather than "undefined".
      d.paused_reason ?? null,
    ]),
  );
}

export function describeDevice(d: DeviceView): string {
  const m = d.metrics;
  const lines = [
    `${d.device_id}  ${d.status}${d.draining && d.status !== 'draining' ? ' (draining)' : ''}`,
    `  role ${d.role}, ${d.platform}/${d.arch}, host ${d.hostname}${d.is_termux ? ' (Termux)' : ''}`,
    `  ${d.cpu_count} cores (${d.cpu_model ?? 'unknown model'}), ${d.memory_total_gb} GB memory, ${d.storage_total_gb ?? '?'} GB storage${d.gpu ? `, GPU ${d.gpu}` : ''}`,
    `  node ${d.node_version}${d.python_version ? `, python ${d.python_version}` : ''}`,
    `  tags: ${d.tags.join(', ') || '-'}`,
    `  task types: ${d.task_types.join(', ')}`,
    `  running ${d.running_tasks.length}/${d.max_concurrent_tasks}${d.running_tasks.length ? `: ${d.running_tasks.join(', ')}` : ''}`,
  ];
  if (d.paused_reason) lines.push(`  limited to ${d.effective_slots} slot(s): ${d.paused_reason}`);
  if (d.speed_score != null) lines.push(`  speed score ${d.speed_score}`);
  if (m) {
    const parts = [
      m.cpu_percent == null ? null : `cpu ${m.cpu_percent}%`,
      m.memory_percent == null ? null : `memory ${m.memory_percent}%`,
      m.storage_free_gb == null ? null : `${m.storage_free_gb} GB free`,
      m.battery_percent == null
        ? null
        : `battery ${m.battery_percent}%${m.battery_charging ? ' (charging)' : ''}`,
      m.temperature_c == null ? null : `${m.temperature_c}°C`,
    ].filter(Boolean);
    if (parts.length) lines.push(`  now: ${parts.join(', ')}`);
  }
  lines.push(`  registered ${d.registered_at}; last seen ${d.last_seen} (${ago(d.last_seen)})`);
  return lines.join('\n');
}
