/**
 * The main node's metrics, kept from its events: Prometheus series (`GET /metrics`) and the JSON
 * view (`GET /api/v1/cluster/metrics`). Each main node has its own registry, never prom-client's
 * global one, so several nodes in one process (tests) do not clash.
 *
 * Glossary
 * - dispatch latency: from a task entering the queue (submitted, requeued) to its assignment.
 * - run latency: from assignment to a final result (success, failed, timeout, cancelled).
 * - throughput: tasks finished in the last minute.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ClusterEvent, Notice } from '../core/cluster.ts';
import { type LatencySummary, summarize } from './percentiles.ts';
import { RateWindow, SampleWindow } from './metricWindows.ts';
import type { ClusterService } from './service.ts';
import { TASK_STATUSES } from './views.ts';

const FINAL = new Set(['task.success', 'task.failed', 'task.timeout', 'task.cancelled']);
const ENTERS_QUEUE = new Set(['task.submitted', 'task.queued', 'task.resubmitted']);
const LATENCY_SAMPLES = 1000;

export interface MetricsView {
  utilisation: {
    devices_online: number;
    slots_total: number;
    slots_used: number;
    slot_utilisation_percent: number | null;
    avg_cpu_percent: number | null;
    avg_memory_percent: number | null;
  };
  throughput: {
    window_seconds: number;
    finished: number;
    succeeded: number;
    failed: number;
    per_second: number;
  };
  queue: { depth: number; assigned: number; running: number };
  latency: { dispatch_ms: LatencySummary; run_ms: LatencySummary; window_samples: number };
  heartbeats: { total: number; last_minute: number };
  totals: { submitted: number; finished: number; retries: number };
}

export class ClusterMetrics {
  readonly registry = new Registry();
  #service: ClusterService;
  #queuedAt = new Map<string, number>();
  #assignedAt = new Map<string, number>();
  #dispatchMs = new SampleWindow(LATENCY_SAMPLES);
  #runMs = new SampleWindow(LATENCY_SAMPLES);
  #finished = new RateWindow(60);
  #succeeded = new RateWindow(60);
  #failed = new RateWindow(60);
  #beats = new RateWindow(60);
  #totals = { submitted: 0, finished: 0, retries: 0, heartbeats: 0 };
  #prom: {
    submitted: Counter<'task_type'>;
    finished: Counter<'task_type' | 'status'>;
    retries: Counter;
    heartbeats: Counter<'device_id'>;
    dispatch: Histogram;
    run: Histogram<'status'>;
  };
  /** Series by label values, looked up once: prom-client hashes a label object on every call. */
  #series = {
    submitted: new Map<string, Counter.Internal>(),
    finished: new Map<string, Counter.Internal>(),
    run: new Map<string, Histogram.Internal<'status'>>(),
  };
  #onEvent = (event: ClusterEvent) => this.#event(event);
  #onNotice = (notice: Notice) => {
    if (notice.type === 'device.metrics' && notice.device_id) this.#heartbeat(notice.device_id, notice.at);
  };

  constructor(service: ClusterService, options: { version: string }) {
    this.#service = service;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#prom = {
      submitted: new Counter({
        name: 'rc_tasks_submitted_total',
        help: 'Tasks accepted, by type',
        labelNames: ['task_type'],
        registers,
      }),
      finished: new Counter({
        name: 'rc_tasks_finished_total',
        help: 'Tasks that reached a final status, by type and status',
        labelNames: ['task_type', 'status'],
        registers,
      }),
      retries: new Counter({
        name: 'rc_task_retries_total',
        help: 'Failed, timed-out or lost attempts sent back to the queue',
        registers,
      }),
      heartbeats: new Counter({
        name: 'rc_heartbeats_total',
        help: 'Heartbeats received, by device',
        labelNames: ['device_id'],
        registers,
      }),
      dispatch: new Histogram({
        name: 'rc_task_dispatch_latency_seconds',
        help: 'From entering the queue to being assigned to a device',
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
        registers,
      }),
      run: new Histogram({
        name: 'rc_task_run_seconds',
        help: 'From assignment to a final status, by status',
        labelNames: ['status'],
        buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600],
        registers,
      }),
    };
    this.#gauges(options.version);
    service.events.on('event', this.#onEvent);
    service.events.on('notice', this.#onNotice);
  }

  /** Prometheus text exposition. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  view(): MetricsView {
    const { cluster, clock } = this.#service;
    const now = clock.now();
    let online = 0;
    let slotsTotal = 0;
    let slotsUsed = 0;
    const cpu: number[] = [];
    const memory: number[] = [];
    for (const device of cluster.devices.values()) {
      if (device.state !== 'online') continue;
      online += 1;
      slotsTotal += device.profile.max_concurrent_tasks;
      slotsUsed += device.running.size;
      if (device.metrics?.cpu_percent != null) cpu.push(device.metrics.cpu_percent);
      if (device.metrics?.memory_percent != null) memory.push(device.metrics.memory_percent);
    }
    let assigned = 0;
    let running = 0;
    for (const task of cluster.tasks.values()) {
      if (task.status === 'assigned') assigned += 1;
      else if (task.status === 'running') running += 1;
    }
    const finished = this.#finished.total(now);
    return {
      utilisation: {
        devices_online: online,
        slots_total: slotsTotal,
        slots_used: slotsUsed,
        slot_utilisation_percent: slotsTotal === 0 ? null : round1((slotsUsed / slotsTotal) * 100),
        avg_cpu_percent: average(cpu),
        avg_memory_percent: average(memory),
      },
      throughput: {
        window_seconds: 60,
        finished,
        succeeded: this.#succeeded.total(now),
        failed: this.#failed.total(now),
        per_second: round1(finished / 60),
      },
      queue: { depth: cluster.queuedCount, assigned, running },
      latency: {
        dispatch_ms: summarize(this.#dispatchMs.values()),
        run_ms: summarize(this.#runMs.values()),
        window_samples: LATENCY_SAMPLES,
      },
      heartbeats: { total: this.#totals.heartbeats, last_minute: this.#beats.total(now) },
      totals: {
        submitted: this.#totals.submitted,
        finished: this.#totals.finished,
        retries: this.#totals.retries,
      },
    };
  }

  close(): void {
    this.#service.events.off('event', this.#onEvent);
    this.#service.events.off('notice', this.#onNotice);
    this.registry.clear();
  }

  #event(event: ClusterEvent): void {
    const taskId = event.task_id;
    if (event.type === 'device.removed' && event.device_id) {
      this.#prom.heartbeats.remove({ device_id: event.device_id });
      return;
    }
    if (!taskId) return;
    if (event.type === 'task.submitted') {
      this.#totals.submitted += 1;
      const taskType = String(event.data?.task_type ?? 'unknown');
      series(this.#series.submitted, taskType, () =>
        this.#prom.submitted.labels({ task_type: taskType }),
      ).inc();
    }
    if (ENTERS_QUEUE.has(event.type)) {
      this.#queuedAt.set(taskId, event.at);
      this.#assignedAt.delete(taskId);
    } else if (event.type === 'task.assigned') {
      const queuedAt = this.#queuedAt.get(taskId);
      this.#queuedAt.delete(taskId);
      if (queuedAt !== undefined) {
        this.#dispatchMs.add(event.at - queuedAt);
        this.#prom.dispatch.observe((event.at - queuedAt) / 1000);
      }
      this.#assignedAt.set(taskId, event.at);
    } else if (event.type === 'task.retrying') {
      // The backoff before the next attempt is deliberate, not dispatch latency: not measured.
      this.#queuedAt.delete(taskId);
      this.#assignedAt.delete(taskId);
      this.#totals.retries += 1;
      this.#prom.retries.inc();
    } else if (FINAL.has(event.type)) {
      this.#finish(event, taskId);
    }
  }

  #finish(event: ClusterEvent, taskId: string): void {
    const status = event.type.slice('task.'.length);
    const assignedAt = this.#assignedAt.get(taskId);
    this.#assignedAt.delete(taskId);
    this.#queuedAt.delete(taskId);
    if (assignedAt !== undefined) {
      this.#runMs.add(event.at - assignedAt);
      series(this.#series.run, status, () => this.#prom.run.labels({ status })).observe(
        (event.at - assignedAt) / 1000,
      );
    }
    const taskType = this.#service.cluster.tasks.get(taskId)?.task_type ?? 'unknown';
    series(this.#series.finished, `${taskType}\u0000${status}`, () =>
      this.#prom.finished.labels({ task_type: taskType, status }),
    ).inc();
    this.#totals.finished += 1;
    this.#finished.add(event.at);
    if (status === 'success') this.#succeeded.add(event.at);
    else if (status !== 'cancelled') this.#failed.add(event.at);
  }

  #heartbeat(deviceId: string, at: number): void {
    this.#totals.heartbeats += 1;
    this.#beats.add(at);
    this.#prom.heartbeats.inc({ device_id: deviceId });
  }

  /** Gauges read the cluster when scraped, so they are never stale. */
  #gauges(version: string): void {
    const registers = [this.registry];
    const { cluster } = this.#service;
    const service = this.#service;
    new Gauge({
      name: 'rc_build_info',
      help: 'The main node version',
      labelNames: ['version'],
      registers,
    }).set({ version }, 1);
    new Gauge({
      name: 'rc_devices',
      help: 'Devices by status',
      labelNames: ['status'],
      registers,
      collect() {
        this.reset();
        const counts: Record<string, number> = { online: 0, draining: 0, disconnected: 0, offline: 0 };
        for (const device of service.listDevices()) counts[device.status] = (counts[device.status] ?? 0) + 1;
        for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
      },
    });
    new Gauge({
      name: 'rc_tasks',
      help: 'Tasks held by the main node (unfinished and recent finished), by status and type',
      labelNames: ['status', 'task_type'],
      registers,
      collect() {
        this.reset();
        const counts = new Map<string, { status: string; task_type: string; n: number }>();
        for (const task of cluster.tasks.values()) {
          const key = `${task.status}\u0000${task.task_type}`;
          const entry = counts.get(key) ?? { status: task.status, task_type: task.task_type, n: 0 };
          entry.n += 1;
          counts.set(key, entry);
        }
        for (const { status, task_type, n } of counts.values()) this.set({ status, task_type }, n);
      },
    });
    new Gauge({
      name: 'rc_tasks_by_status',
      help: 'Tasks held by the main node, by status (every status, zero included)',
      labelNames: ['status'],
      registers,
      collect() {
        const counts = Object.fromEntries(TASK_STATUSES.map((status) => [status, 0]));
        for (const task of cluster.tasks.values()) counts[task.status] = (counts[task.status] ?? 0) + 1;
        for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
      },
    });
    new Gauge({
      name: 'rc_queue_depth',
      help: 'Tasks waiting for a device',
      registers,
      collect() {
        this.set(cluster.queuedCount);
      },
    });
    new Gauge({
      name: 'rc_slots',
      help: 'Task slots of online devices, by state',
      labelNames: ['state'],
      registers,
      collect() {
        let used = 0;
        let total = 0;
        for (const device of cluster.devices.values()) {
          if (device.state !== 'online') continue;
          total += device.profile.max_concurrent_tasks;
          used += device.running.size;
        }
        this.set({ state: 'used' }, used);
        this.set({ state: 'free' }, Math.max(0, total - used));
      },
    });
  }
}

function series<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let found = cache.get(key);
  if (found === undefined) {
    found = make();
    cache.set(key, found);
  }
  return found;
}

function average(values: number[]): number | null {
  return values.length === 0 ? null : round1(values.reduce((a, b) => a + b, 0) / values.length);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
