/** `cluster status|health|metrics` for people. */
import type { ClusterHealth } from '../../main/clusterHealth.ts';
import type { MetricsView } from '../../main/metrics.ts';
import type { ClusterStatus } from '../../main/service.ts';
import { type Paint, statusColour } from '../ansi.ts';
import { duration, percent } from './time.ts';

const label = (paint: Paint, name: string) => paint.dim(name.padEnd(11));

function counts(record: Record<string, number>, paint: Paint, colour = false): string {
  const entries = Object.entries(record);
  if (entries.length === 0) return '-';
  return entries
    .map(([name, n]) => `${colour && n > 0 ? paint[statusColour(name)](name) : name} ${n}`)
    .join('  ');
}

export function clusterStatusText(s: ClusterStatus, paint: Paint): string {
  const c = s.cluster_stats;
  const r = c.total_resources;
  return [
    `${paint.bold('Retire-Cluster')} ${s.version}, up ${duration(s.uptime_seconds * 1000)}`,
    `${label(paint, 'devices')}${c.total_devices} total, ${paint.green(`${c.online_devices} online`)}, ${c.offline_devices} not (health ${c.health_percentage}%)`,
    `${label(paint, 'by status')}${counts(c.by_status, paint, true)}`,
    `${label(paint, 'by role')}${counts(c.by_role, paint)}`,
    `${label(paint, 'platforms')}${counts(c.by_platform, paint)}`,
    `${label(paint, 'capacity')}${r.cpu_cores} cores, ${r.memory_gb} GB memory, ${r.storage_gb} GB storage`,
    `${label(paint, 'tasks')}${counts(s.tasks_by_status, paint, true)}`,
    `${label(paint, 'queue')}${s.queue_depth} waiting`,
    `${label(paint, 'task types')}${s.task_types.join(', ')}`,
  ].join('\n');
}

export function clusterHealthText(h: ClusterHealth, paint: Paint): string {
  const lines = [`${paint.bold('cluster')}  ${paint[statusColour(h.status)](h.status)}`];
  for (const [name, component] of Object.entries(h.components)) {
    lines.push(
      `${label(paint, name)}${paint[statusColour(component.status)](component.status.padEnd(9))}${component.message}`,
    );
  }
  return lines.join('\n');
}

export function clusterMetricsText(m: MetricsView, paint: Paint): string {
  const u = m.utilisation;
  const t = m.throughput;
  const ms = (v: number | null) => (v == null ? '-' : `${v}ms`);
  const latency = (name: string, l: MetricsView['latency']['dispatch_ms']) =>
    `${label(paint, name)}p50 ${ms(l.p50)}  p90 ${ms(l.p90)}  p99 ${ms(l.p99)}  max ${ms(l.max)}  (${l.count} samples)`;
  return [
    `${label(paint, 'devices')}${u.devices_online} online, slots ${u.slots_used}/${u.slots_total} used${u.slot_utilisation_percent == null ? '' : ` (${percent(u.slot_utilisation_percent)})`}`,
    `${label(paint, 'load')}cpu ${percent(u.avg_cpu_percent) ?? '-'}, memory ${percent(u.avg_memory_percent) ?? '-'} (average of online devices)`,
    `${label(paint, 'throughput')}${t.finished} finished in the last ${t.window_seconds}s (${paint.green(`${t.succeeded} ok`)}, ${t.failed ? paint.red(`${t.failed} failed`) : '0 failed'}), ${t.per_second}/s`,
    `${label(paint, 'queue')}${m.queue.depth} waiting, ${m.queue.assigned} assigned, ${m.queue.running} running`,
    latency('dispatch', m.latency.dispatch_ms),
    latency('run', m.latency.run_ms),
    `${label(paint, 'heartbeats')}${m.heartbeats.last_minute} in the last minute (${m.heartbeats.total} in all)`,
    `${label(paint, 'totals')}${m.totals.submitted} submitted, ${m.totals.finished} finished, ${m.totals.retries} retries`,
  ].join('\n');
}
