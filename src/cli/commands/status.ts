import type { Command } from 'commander';
import type { ClusterStatus } from '../../main/service.ts';
import type { DeviceView } from '../../main/views.ts';
import { DEFAULT_HTTP_PORT } from '../../protocol/version.ts';
import { ApiClient } from '../client.ts';
import { addClientOptions, type ClientFlags, clientOptions } from '../clientFlags.ts';
import { formatTable } from '../table.ts';

interface StatusFlags extends ClientFlags {
  devices?: boolean;
  device?: string;
  role?: string;
  json?: boolean;
}

export function registerStatus(program: Command): void {
  addClientOptions(
    program
      .command('status')
      .argument('[host]', 'main node HOST[:PORT] (the HTTP port; default 127.0.0.1:8081)')
      .description('show the cluster: devices, resources, tasks')
      .option('--devices', 'list the devices')
      .option('--device <id>', 'show one device')
      .option('--role <role>', 'only devices with this role')
      .option('--json', 'print JSON'),
  ).action(async (host: string | undefined, flags: StatusFlags) => {
    const options = clientOptions(flags);
    if (host && !options.url) options.url = host.includes('://') ? host : `http://${withPort(host)}`;
    const client = new ApiClient(options);
    if (flags.device) {
      const { device } = await client.get<{ device: DeviceView }>(
        `/api/v1/devices/${encodeURIComponent(flags.device)}`,
      );
      console.log(flags.json ? JSON.stringify(device, null, 2) : describeDevice(device));
      return;
    }
    const status = await client.get<ClusterStatus>('/api/v1/cluster/status');
    const query = flags.role ? `?role=${encodeURIComponent(flags.role)}` : '';
    const { devices } = await client.get<{ devices: DeviceView[] }>(`/api/v1/devices${query}`);
    if (flags.json) {
      console.log(JSON.stringify(flags.devices || flags.role ? { ...status, devices } : status, null, 2));
      return;
    }
    console.log(describeStatus(status));
    if (flags.devices || flags.role) console.log('\n' + deviceTable(devices));
  });
}

function withPort(host: string): string {
  return /:\d+$/.test(host) ? host : `${host}:${DEFAULT_HTTP_PORT}`;
}

export function describeStatus(status: ClusterStatus): string {
  const s = status.cluster_stats;
  const t = status.tasks_by_status;
  return [
    `Retire-Cluster ${status.version}  (up ${status.uptime_seconds}s)`,
    `Devices:   ${s.online_devices} online / ${s.total_devices} total  (health ${s.health_percentage}%)`,
    `Resources: ${s.total_resources.cpu_cores} cores, ${s.total_resources.memory_gb} GB memory, ${s.total_resources.storage_gb} GB storage`,
    `Tasks:     ${t.queued} queued, ${(t.assigned ?? 0) + (t.running ?? 0)} running, ${t.success} succeeded, ${t.failed} failed, ${t.cancelled} cancelled, ${t.timeout} timed out`,
  ].join('\n');
}

export function deviceTable(devices: readonly DeviceView[]): string {
  if (devices.length === 0) return 'No devices.';
  return formatTable(
    ['DEVICE', 'STATUS', 'ROLE', 'PLATFORM', 'CPU', 'MEM GB', 'CPU %', 'BATTERY', 'TASKS'],
    devices.map((d) => [
      d.device_id,
      d.status,
      d.role,
      d.platform,
      d.cpu_count,
      d.memory_total_gb,
      d.metrics?.cpu_percent ?? null,
      d.metrics?.battery_percent == null ? null : `${d.metrics.battery_percent}%`,
      `${d.running_tasks.length}/${d.max_concurrent_tasks}`,
    ]),
  );
}

function describeDevice(d: DeviceView): string {
  return [
    `${d.device_id}  ${d.status}${d.draining ? ' (draining)' : ''}`,
    `  role ${d.role}, ${d.platform}/${d.arch}, host ${d.hostname}`,
    `  ${d.cpu_count} cores (${d.cpu_model ?? 'unknown model'}), ${d.memory_total_gb} GB memory`,
    `  tags: ${d.tags.join(', ') || '-'}; task types: ${d.task_types.join(', ')}`,
    `  running ${d.running_tasks.length}/${d.max_concurrent_tasks}; last seen ${d.last_seen}`,
  ].join('\n');
}
