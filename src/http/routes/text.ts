/** `/text/*`: the cluster for people at a terminal and for scripts (`curl | grep`, spreadsheets). */
import { Hono } from 'hono';
import { deviceFilterQuerySchema, logQuerySchema } from '../../main/schemas.ts';
import type { ClusterService } from '../../main/service.ts';
import { validate } from '../../main/validate.ts';
import type { EventView } from '../../main/views.ts';
import { renderTable, TABLE_MEDIA, tableFormat } from '../textTable.ts';

const DEVICE_COLUMNS = [
  'device_id',
  'status',
  'role',
  'platform',
  'arch',
  'cpus',
  'memory_gb',
  'cpu_percent',
  'memory_percent',
  'battery_percent',
  'running',
  'slots',
  'tags',
  'last_seen',
];

const PLAIN = 'text/plain; charset=utf-8';

export function textRoutes(service: ClusterService): Hono {
  return new Hono()
    .get('/devices', (c) => {
      const devices = service.listDevices(validate(deviceFilterQuerySchema, c.req.query()));
      const rows = devices.map((d) => [
        d.device_id,
        d.status,
        d.role,
        d.platform,
        d.arch,
        d.cpu_count,
        d.memory_total_gb,
        d.metrics?.cpu_percent,
        d.metrics?.memory_percent,
        d.metrics?.battery_percent,
        d.running_tasks.length,
        d.max_concurrent_tasks,
        d.tags.join(';'),
        d.last_seen,
      ]);
      const format = tableFormat(c.req.header('accept'));
      c.header('Vary', 'Accept');
      return c.body(renderTable(DEVICE_COLUMNS, rows, format), 200, { 'Content-Type': TABLE_MEDIA[format] });
    })
    .get('/status', (c) => {
      const status = service.clusterStatus();
      const stats = status.cluster_stats;
      const lines: [string, unknown][] = [
        ['version', status.version],
        ['uptime_seconds', status.uptime_seconds],
        ['devices_total', stats.total_devices],
        ['devices_online', stats.online_devices],
        ['devices_offline', stats.offline_devices],
        ['health_percentage', stats.health_percentage],
        ['cpu_cores', stats.total_resources.cpu_cores],
        ['memory_gb', stats.total_resources.memory_gb],
        ['storage_gb', stats.total_resources.storage_gb],
        ['queue_depth', status.queue_depth],
        ...Object.entries(status.tasks_by_status).map(([s, n]): [string, unknown] => [`tasks_${s}`, n]),
      ];
      return c.body(lines.map(([key, value]) => `${key}: ${String(value)}`).join('\n') + '\n', 200, {
        'Content-Type': PLAIN,
      });
    })
    .get('/logs', async (c) => {
      const { limit } = validate(logQuerySchema, c.req.query());
      const events = await service.recentEvents(limit);
      return c.body(events.map(logLine).join(''), 200, { 'Content-Type': PLAIN });
    });
}

/** `2026-11-24T10:00:00.000Z task.failed task=ab12 device=pixel error="exit 4"` */
export function logLine(event: EventView): string {
  const parts = [event.at, event.type];
  if (event.task_id) parts.push(`task=${event.task_id}`);
  if (event.device_id) parts.push(`device=${event.device_id}`);
  for (const [key, value] of Object.entries(event.data ?? {})) {
    const text = typeof value === 'string' && /^[\w.:@/-]+$/.test(value) ? value : JSON.stringify(value);
    parts.push(`${key}=${text}`);
  }
  // One event, one line, whatever the data holds.
  return parts.join(' ').replace(/[\r\n]+/g, ' ') + '\n';
}
