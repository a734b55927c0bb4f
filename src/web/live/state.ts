/**
 * What the live view knows: devices (from snapshots, corrected by events at once), the last minutes
 * of each device's metrics for the sparklines, task counters, finished-task times for throughput,
 * and the recent events. No DOM here.
 */
import type { DeviceView } from '../../main/views.ts';
import type { EventLike } from '../../terminal/render/events.ts';
import { type ClusterEventData, TERMINAL_TASK_EVENTS } from '../eventTypes.ts';

export const WINDOW_MS = 5 * 60_000;
const MAX_EVENTS = 60;

export interface MetricPoint {
  at: number;
  cpu: number | null;
  memory: number | null;
  battery: number | null;
}

type Metrics = NonNullable<DeviceView['metrics']>;

const STATUS_BY_EVENT: Record<string, DeviceView['status']> = {
  'device.online': 'online',
  'device.reconnected': 'online',
  'device.undrained': 'online',
  'device.disconnected': 'disconnected',
  'device.offline': 'offline',
  'device.draining': 'draining',
};

export class LiveState {
  devices = new Map<string, DeviceView>();
  readonly history = new Map<string, MetricPoint[]>();
  tasksByStatus: Record<string, number> = {};
  queueDepth = 0;
  readonly finishedAt: number[] = [];
  /** Newest last. */
  readonly events: EventLike[] = [];

  setDevices(devices: readonly DeviceView[], now: number): void {
    this.devices = new Map(devices.map((d) => [d.device_id, d]));
    for (const d of devices)
      if (d.metrics) this.addPoint(d.device_id, d.metrics, Date.parse(d.last_seen) || now);
    for (const id of this.history.keys()) if (!this.devices.has(id)) this.history.delete(id);
  }

  setTaskCounts(byStatus: Record<string, number>, queueDepth: number): void {
    this.tasksByStatus = { ...byStatus };
    this.queueDepth = queueDepth;
  }

  /** Applies what an event says at once; the snapshot that follows corrects the rest. */
  applyEvent(event: ClusterEventData): void {
    if (event.type === 'device.metrics') {
      const metrics = event.data?.metrics as Metrics | undefined;
      const device = event.device_id ? this.devices.get(event.device_id) : undefined;
      if (metrics && device) {
        device.metrics = metrics;
        device.last_seen = new Date(event.at).toISOString();
        this.addPoint(device.device_id, metrics, event.at);
      }
      return;
    }
    this.pushEvent(event);
    const status = STATUS_BY_EVENT[event.type];
    const device = event.device_id ? this.devices.get(event.device_id) : undefined;
    if (device && status) {
      device.status = status;
      if (event.type === 'device.draining') device.draining = true;
      if (event.type === 'device.undrained') device.draining = false;
    }
    if (event.type === 'device.removed' && event.device_id) this.devices.delete(event.device_id);
    if (TERMINAL_TASK_EVENTS.includes(event.type)) this.finishedAt.push(event.at);
  }

  pushEvent(event: EventLike): void {
    this.events.push(event);
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
  }

  /** The events that happened before the page opened, put before the ones seen live since. */
  seedEvents(earlier: readonly EventLike[]): void {
    const key = (e: EventLike) =>
      `${e.type} ${typeof e.at === 'number' ? e.at : Date.parse(e.at)} ${e.task_id ?? ''} ${e.device_id ?? ''}`;
    const live = new Set(this.events.map(key));
    this.events.unshift(...earlier.filter((e) => !live.has(key(e))));
    if (this.events.length > MAX_EVENTS) this.events.splice(0, this.events.length - MAX_EVENTS);
  }

  /** Kept in time order: history read later may be older than the live samples. */
  addPoint(deviceId: string, m: Metrics, at: number): void {
    if (!Number.isFinite(at)) return;
    const points = this.history.get(deviceId) ?? [];
    this.history.set(deviceId, points);
    let index = points.length;
    while (index > 0 && points[index - 1]!.at > at) index--;
    if (points[index - 1]?.at === at) return;
    points.splice(index, 0, { at, cpu: m.cpu_percent, memory: m.memory_percent, battery: m.battery_percent });
  }

  /** Drops what is older than the window (sparklines and throughput show the last minutes). */
  prune(now: number): void {
    const cutoff = now - WINDOW_MS;
    for (const [id, points] of this.history) {
      const keep = points.findIndex((p) => p.at >= cutoff);
      if (keep === -1) this.history.set(id, points.slice(-1));
      else if (keep > 0) points.splice(0, keep);
    }
    const recent = this.finishedAt.filter((at) => at >= cutoff);
    this.finishedAt.splice(0, this.finishedAt.length, ...recent);
  }

  /** Tasks finished per bucket over the window, oldest first, and in the last minute. */
  throughput(now: number, buckets = 10): { perMinute: number; series: number[] } {
    const size = WINDOW_MS / buckets;
    const series = new Array<number>(buckets).fill(0);
    let perMinute = 0;
    for (const at of this.finishedAt) {
      const age = now - at;
      if (age < 0 || age >= WINDOW_MS) continue;
      series[buckets - 1 - Math.floor(age / size)]! += 1;
      if (age < 60_000) perMinute += 1;
    }
    return { perMinute, series };
  }
}
