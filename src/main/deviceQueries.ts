/**
 * Read-side use-cases about devices: filtered, paged listings, the fleet summary, one device in
 * detail. Everything comes from the in-memory registry (authoritative while the node runs), except
 * heartbeat history, which only the store keeps.
 */
import { iso } from '../core/clock.ts';
import type { Cluster } from '../core/cluster.ts';
import type { Device } from '../core/device.ts';
import { ClusterError, ErrorCode } from '../protocol/errorCodes.ts';
import type { DeviceMetrics } from '../protocol/messages.ts';
import { type Pagination, pageSlice, pagination } from './pagination.ts';
import { deviceListQuerySchema } from './schemas.ts';
import type { ServiceDeps } from './service.ts';
import { validate } from './validate.ts';
import { type DeviceView, deviceView, type TaskView, taskView } from './views.ts';

export interface DeviceFilter {
  status?: string;
  role?: string;
  platform?: string;
  /** Every one must be among the device's tags. */
  tags?: string[];
}

/** Sorted by id, so pages are stable while the fleet does not change. */
export function filterDevices(cluster: Cluster, filter: DeviceFilter): DeviceView[] {
  const views: DeviceView[] = [];
  for (const device of cluster.devices.values()) {
    const view = deviceView(device);
    if (filter.status && view.status !== filter.status) continue;
    if (filter.role && view.role !== filter.role) continue;
    if (filter.platform && view.platform !== filter.platform) continue;
    if (filter.tags && !filter.tags.every((tag) => view.tags.includes(tag))) continue;
    views.push(view);
  }
  return views.sort((a, b) => a.device_id.localeCompare(b.device_id));
}

export interface DevicePage {
  devices: DeviceView[];
  count: number;
  pagination: Pagination;
}

export function devicePage(cluster: Cluster, query: unknown): DevicePage {
  const { page, page_size, ...filter } = validate(deviceListQuerySchema, query);
  const all = filterDevices(cluster, filter);
  const devices = pageSlice(all, page, page_size);
  return { devices, count: devices.length, pagination: pagination(page, page_size, all.length) };
}

export interface DeviceSummaryRow {
  device_id: string;
  status: DeviceView['status'];
  role: string;
  platform: string;
  running: number;
  slots: number;
  cpu_percent: number | null;
  memory_percent: number | null;
  battery_percent: number | null;
  last_seen: string;
}

export interface DeviceSummary {
  total: number;
  online: number;
  by_status: Record<string, number>;
  by_role: Record<string, number>;
  by_platform: Record<string, number>;
  /** Slots of devices that can take work now (online, not draining). */
  capacity: { slots_total: number; slots_used: number; slots_free: number };
  devices: DeviceSummaryRow[];
}

export function deviceSummary(cluster: Cluster): DeviceSummary {
  const views = filterDevices(cluster, {});
  const summary: DeviceSummary = {
    total: views.length,
    online: 0,
    by_status: { online: 0, draining: 0, disconnected: 0, offline: 0 },
    by_role: {},
    by_platform: {},
    capacity: { slots_total: 0, slots_used: 0, slots_free: 0 },
    devices: [],
  };
  for (const view of views) {
    summary.by_status[view.status] = (summary.by_status[view.status] ?? 0) + 1;
    summary.by_role[view.role] = (summary.by_role[view.role] ?? 0) + 1;
    summary.by_platform[view.platform] = (summary.by_platform[view.platform] ?? 0) + 1;
    if (view.status === 'online' || view.status === 'draining') summary.online += 1;
    if (view.status === 'online') {
      summary.capacity.slots_total += view.max_concurrent_tasks;
      summary.capacity.slots_used += view.running_tasks.length;
      summary.capacity.slots_free += view.free_slots;
    }
    summary.devices.push({
      device_id: view.device_id,
      status: view.status,
      role: view.role,
      platform: view.platform,
      running: view.running_tasks.length,
      slots: view.max_concurrent_tasks,
      cpu_percent: view.metrics?.cpu_percent ?? null,
      memory_percent: view.metrics?.memory_percent ?? null,
      battery_percent: view.metrics?.battery_percent ?? null,
      last_seen: view.last_seen,
    });
  }
  return summary;
}

export const DEVICE_HEARTBEAT_HISTORY = 20;

export interface DeviceDetail {
  device: DeviceView;
  latest_metrics: DeviceMetrics | null;
  /** Sampled heartbeats, newest first. */
  heartbeats: { at: string; metrics: DeviceMetrics }[];
  running_tasks: TaskView[];
}

export async function deviceDetail(deps: ServiceDeps, deviceId: string): Promise<DeviceDetail> {
  const device = requireDevice(deps.cluster, deviceId);
  // The history is written behind; make sure what memory knows is in the store first.
  await deps.journal.commit();
  const samples = await deps.store.heartbeats(deviceId, DEVICE_HEARTBEAT_HISTORY);
  const running: TaskView[] = [];
  for (const taskId of device.running.keys()) {
    const task = deps.cluster.tasks.get(taskId);
    if (task) running.push(taskView(task));
  }
  return {
    device: deviceView(device),
    latest_metrics: device.metrics,
    heartbeats: samples.map((sample) => ({ at: iso(sample.at), metrics: sample.metrics })),
    running_tasks: running,
  };
}

export interface DeviceStatusView {
  device_id: string;
  status: DeviceView['status'];
  online: boolean;
  draining: boolean;
  last_seen: string;
  seconds_since_last_seen: number;
  disconnected_at: string | null;
  running_tasks: number;
  max_concurrent_tasks: number;
  free_slots: number;
  metrics: DeviceMetrics | null;
}

export function deviceStatus(cluster: Cluster, deviceId: string, now: number): DeviceStatusView {
  const view = deviceView(requireDevice(cluster, deviceId));
  return {
    device_id: view.device_id,
    status: view.status,
    online: view.status === 'online' || view.status === 'draining',
    draining: view.draining,
    last_seen: view.last_seen,
    seconds_since_last_seen: Math.max(0, Math.round((now - Date.parse(view.last_seen)) / 1000)),
    disconnected_at: view.disconnected_at,
    running_tasks: view.running_tasks.length,
    max_concurrent_tasks: view.max_concurrent_tasks,
    free_slots: view.free_slots,
    metrics: view.metrics,
  };
}

/** Tasks whose current attempt holds one of the device's slots: they go back to the queue. */
export function tasksHeldBy(cluster: Cluster, device: Device): string[] {
  return [...device.running.keys()].filter((taskId) => {
    const task = cluster.tasks.get(taskId);
    return (
      task !== undefined &&
      (task.status === 'assigned' || task.status === 'running') &&
      task.assigned_device_id === device.device_id
    );
  });
}

export function requireDevice(cluster: Cluster, deviceId: string): Device {
  const device = cluster.devices.get(deviceId);
  if (!device) throw new ClusterError(ErrorCode.DeviceNotFound, `device ${deviceId} not found`);
  return device;
}
