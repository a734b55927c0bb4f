/** What the live view reads over REST when it (re)connects: devices, counters, history to start from. */
import type { DeviceDetail, DevicePage } from '../../main/deviceQueries.ts';
import type { MetricsView } from '../../main/metrics.ts';
import type { ClusterStatus } from '../../main/service.ts';
import type { DeviceView } from '../../main/views.ts';
import type { EventLike } from '../../terminal/render/events.ts';
import type { Api } from '../api.ts';

export async function fetchDevices(api: Api): Promise<DeviceView[]> {
  const devices: DeviceView[] = [];
  for (let page = 1; page <= 20; page++) {
    const data = await api.get<DevicePage>(`/api/v1/devices?page=${page}&page_size=100`);
    devices.push(...data.devices);
    if (!data.pagination.has_next) break;
  }
  return devices;
}

export function fetchStatus(api: Api): Promise<ClusterStatus> {
  return api.get<ClusterStatus>('/api/v1/cluster/status');
}

export function fetchMetrics(api: Api): Promise<MetricsView> {
  return api.get<MetricsView>('/api/v1/cluster/metrics');
}

/** Sampled heartbeats, newest first, for a device's sparklines. */
export async function fetchHeartbeats(api: Api, deviceId: string): Promise<DeviceDetail['heartbeats']> {
  const detail = await api.get<DeviceDetail>(`/api/v1/devices/${encodeURIComponent(deviceId)}`);
  return detail.heartbeats;
}

/** The recent events as `/text/logs` gives them, oldest first. */
export async function fetchRecentEvents(api: Api, limit: number): Promise<EventLike[]> {
  const text = await api.text(`/text/logs?limit=${limit}`);
  return text
    .split('\n')
    .filter(Boolean)
    .map(parseLogLine)
    .filter((e): e is EventLike => e !== null);
}

/** `2026-11-24T10:00:00.000Z task.failed task=ab12 device=pixel error="exit 4"` */
export function parseLogLine(line: string): EventLike | null {
  const match = /^(\S+) (\S+)(.*)$/.exec(line);
  if (!match) return null;
  const [, at, type, rest] = match as unknown as [string, string, string, string];
  const event: EventLike = { at, type, data: {} };
  for (const [, key, raw] of rest.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
    let value: unknown = raw;
    if (raw!.startsWith('"')) {
      try {
        value = JSON.parse(raw!);
      } catch {
        // Kept as written.
      }
    }
    if (key === 'task') event.task_id = String(value);
    else if (key === 'device') event.device_id = String(value);
    else event.data![key!] = value;
  }
  return event;
}
