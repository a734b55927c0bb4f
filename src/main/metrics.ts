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
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ClusterEvent, Notice } from '../core/cluster.ts';
import { type HistogramSeries, HistogramTally } from './histogramTally.ts';
import { type LatencySummary, summarize } from './percentiles.ts';
import { RateWindow, SampleWindow } from './metricWindows.ts';
import type { ClusterService } from './service.ts';
import { TASK_STATUSES } from './views.ts';

/** Final event types and the status each one ends a task with. */
const FINAL = new Map([
  ['task.success', 'success'],
  ['task.failed', 'failed'],
  ['task.timeout', 'timeout'],
  ['task.cancelled', 'cancelled'],
]);
const ENTERS_QUEUE = new Set(['task.submitted', 'task.queued', 'task.resubmitted']);
const LATENCY_SAMPLES = 1000;

/** Where an unfinished task is in its attempt (queued or assigned), and since when. */
interface Phase {
  assigned: boolean;
  at: number;
}

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
  /** One map, not one per phase: a task is in one phase at a time, and this runs on every event. */
  #phases = new Map<string, Phase>();
  #dispatchMs = new SampleWindow(LATENCY_SAMPLES);
  #runMs = new SampleWindow(LATENCY_SAMPLES);
  #finished = new RateWindow(60);
  #succeeded = new RateWindow(60);
  #failed = new RateWindow(60);
  #beats = new RateWindow(60);
  #totals = { submitted: 0, finished: 0, retries: 0, heartbeats: 0 };
  #prom: {
    retries: Counter;
    dispatch: HistogramSeries;
    run: HistogramTally<'status'>;
  };
  /**
   * Per-event tallies in plain numbers, handed to prom-client only when scraped: prom-client
   * validates and hashes the labels on every inc() or observe(), even through a cached child.
   */
  #tallies = {
    submitted: new Map<string, number>(), // by task type
    finished: new Map<string, Map<string, number>>(), // by task type, then status
    heartbeats: new Map<string, number>(), // by device
    run: new Map<string, HistogramSeries>(), // by status
  };
  #newRunSeries = (status: string) => this.#prom.run.series({ status });
  #onEvent = (event: ClusterEvent) => this.#event(event);
  #onNotice = (notice: Notice) => {
    if (notice.type === 'device.metrics' && notice.device_id) this.#heartbeat(notice.device_id, notice.at);
  };

  constructor(service: ClusterService, options: { version: string }) {
    this.#service = service;
    const registers = [this.registry];
    const tallies = this.#tallies;
    collectDefaultMetrics({ register: this.registry });
    new Counter({
      name: 'rc_tasks_submitted_total',
      help: 'Tasks accepted, by type',
      labelNames: ['task_type'],
      registers,
      collect() {
        this.reset();
        for (const [task_type, n] of tallies.submitted) this.inc({ task_type }, n);
      },
    });
    new Counter({
      name: 'rc_tasks_finished_total',
      help: 'Tasks that reached a final status, by type and status',
      labelNames: ['task_type', 'status'],
      registers,
      collect() {
        this.reset();
        for (const [task_type, byStatus] of tallies.finished)
          for (const [status, n] of byStatus) this.inc({ task_type, status }, n);
      },
    });
    const retries = new Counter({
      name: 'rc_task_retries_total',
      help: 'Failed, timed-out or lost attempts sent back to the queue',
      registers,
    });
    new Counter({
      name: 'rc_heartbeats_total',
      help: 'Heartbeats received, by device',
      labelNames: ['device_id'],
      registers,
      collect() {
        this.reset();
        for (const [device_id, n] of tallies.heartbeats) this.inc({ device_id }, n);
      },
    });
    const dispatch = new HistogramTally({
      name: 'rc_task_dispatch_latency_seconds',
      help: 'From entering the queue to being assigned to a device',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    const run = new HistogramTally({
      name: 'rc_task_run_seconds',
      help: 'From assignment to a final status, by status',
      labelNames: ['status'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    });
    this.#prom = { retries, dispatch: dispatch.series({}), run };
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
      this.#tallies.heartbeats.delete(event.device_id);
      return;
    }
    if (!taskId) return;
    if (event.type === 'task.submitted') {
      this.#totals.submitted += 1;
      bump(this.#tallies.submitted, String(event.data?.task_type ?? 'unknown'));
    }
    if (ENTERS_QUEUE.has(event.type)) {
      this.#phases.set(taskId, { assigned: false, at: event.at });
    } else if (event.type === 'task.assigned') {
      this.#assigned(taskId, event.at);
    } else if (event.type === 'task.retrying') {
      // The backoff before the next attempt is deliberate, not dispatch latency: not measured.
      this.#phases.delete(taskId);
      this.#totals.retries += 1;
      this.#prom.retries.inc();
    } else {
      const status = FINAL.get(event.type);
      if (status !== undefined) this.#finish(event, taskId, status);
    }
  }

  /** Dispatch latency is measured only if the task was waiting in the queue. */
  #assigned(taskId: string, at: number): void {
    const phase = this.#phases.get(taskId);
    if (phase === undefined) {
      this.#phases.set(taskId, { assigned: true, at });
      return;
    }
    if (!phase.assigned) {
      this.#dispatchMs.add(at - phase.at);
      this.#prom.dispatch.observe((at - phase.at) / 1000);
    }
    phase.assigned = true;
    phase.at = at;
  }

  #finish(event: ClusterEvent, taskId: string, status: string): void {
    const phase = this.#phases.get(taskId);
    this.#phases.delete(taskId);
    if (phase?.assigned) {
      this.#runMs.add(event.at - phase.at);
      getOrAdd(this.#tallies.run, status, this.#newRunSeries).observe((event.at - phase.at) / 1000);
    }
    const taskType = this.#service.cluster.tasks.get(taskId)?.task_type ?? 'unknown';
    bump(getOrAdd(this.#tallies.finished, taskType, newCounts), status);
    this.#totals.finished += 1;
    this.#finished.add(event.at);
    if (status === 'success') this.#succeeded.add(event.at);
    else if (status !== 'cancelled') this.#failed.add(event.at);
  }

  #heartbeat(deviceId: string, at: number): void {
    this.#totals.heartbeats += 1;
    this.#beats.add(at);
    bump(this.#tallies.heartbeats, deviceId);
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

/** The value under `key`, made on first use (`make` is a shared function: no closure per call). */
function getOrAdd<K, V>(map: Map<K, V>, key: K, make: (key: K) => V): V {
  let found = map.get(key);
  if (found === undefined) {
    found = make(key);
    map.set(key, found);
  }
  return found;
}

function newCounts(): Map<string, number> {
  return new Map();
}

function bump<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function average(values: number[]): number | null {
  return values.length === 0 ? null : round1(values.reduce((a, b) => a + b, 0) / values.length);
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
