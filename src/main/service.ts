/**
 * Use-cases of the cluster, shared by the REST API, the MCP server, TCP management messages and
 * the CLI. Each one validates its input, changes the cluster, and returns only once the change is
 * durable.
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../core/clock.ts';
import type { Cluster, ClusterEvent, Notice } from '../core/cluster.ts';
import type { Task } from '../core/task.ts';
import { ClusterError, ErrorCode } from '../protocol/errorCodes.ts';
import { BUILTIN_TASK_TYPES, isTerminal } from '../protocol/messages.ts';
import { jsonDepthExceeds } from '../protocol/parse.ts';
import { MAX_JSON_DEPTH } from '../protocol/version.ts';
import type { Store, StoredEvent } from '../store/store.ts';
import { type ClusterHealth, clusterHealth } from './clusterHealth.ts';
import {
  type DeviceDetail,
  deviceDetail,
  type DeviceFilter,
  type DevicePage,
  devicePage,
  deviceStatus,
  type DeviceStatusView,
  type DeviceSummary,
  deviceSummary,
  filterDevices,
  requireDevice,
  tasksHeldBy,
} from './deviceQueries.ts';
import type { Journal } from './journal.ts';
import { describeIssues, type TaskInputBody, taskInputSchema } from './schemas.ts';
import {
  listTasks,
  taskEvents,
  type TaskPageView,
  taskResult,
  type TaskResultView,
  taskStatistics,
  type TaskStatistics,
  taskStatus,
  type TaskStatusView,
  type TaskTypeView,
  taskTypes,
} from './taskQueries.ts';
import {
  type DeviceView,
  deviceView,
  type EventView,
  eventView,
  TASK_STATUSES,
  type TaskView,
  taskView,
} from './views.ts';

export type { DeviceFilter } from './deviceQueries.ts';

export interface ServiceDeps {
  cluster: Cluster;
  journal: Journal;
  store: Store;
  clock: Clock;
  startedAt: number;
  version: string;
  limits?: SubmitLimits;
}

export interface SubmitLimits {
  /** Bytes of a task's payload as JSON. */
  maxPayloadBytes: number;
  /** Tasks waiting to run (queued, assigned or running); a batch that would pass it is refused whole. */
  maxQueuedTasks: number;
}

const MAX_TASK_DEPTH = MAX_JSON_DEPTH - 8;

export class ClusterService {
  /** Cluster events (task.*, device.*), emitted once durable. */
  readonly events = new EventEmitter<{ event: [ClusterEvent]; notice: [Notice] }>();
  #deps: ServiceDeps;

  constructor(deps: ServiceDeps) {
    this.#deps = deps;
  }

  get cluster(): Cluster {
    return this.#deps.cluster;
  }

  get journal(): Journal {
    return this.#deps.journal;
  }

  get clock(): Clock {
    return this.#deps.clock;
  }

  async submitTask(body: unknown): Promise<{ task: TaskView; created: boolean }> {
    const [result] = await this.submitTasks([body]);
    return result!;
  }

  /** Validates every task first, so a batch is accepted whole or not at all. */
  async submitTasks(bodies: readonly unknown[]): Promise<{ task: TaskView; created: boolean }[]> {
    const inputs = bodies.map((body, index) => {
      const parsed = taskInputSchema.safeParse(body);
      const where = bodies.length > 1 ? `tasks[${index}]: ` : '';
      if (parsed.success) {
        // Room for the envelope: a task must fit in the frames that carry it and its result.
        if (!jsonDepthExceeds(parsed.data, MAX_TASK_DEPTH)) return parsed.data;
        throw new ClusterError(
          ErrorCode.ValidationError,
          `${where}the task nests deeper than ${MAX_TASK_DEPTH} levels`,
        );
      }
      throw new ClusterError(ErrorCode.ValidationError, where + describeIssues(parsed.error), {
        details: parsed.error.issues,
      });
    });
    this.#checkLimits(inputs);
    const earlier = await this.#storedByIdempotencyKey(inputs);
    const now = this.#deps.clock.now();
    const results = inputs.map((input, index) => earlier[index] ?? this.#deps.cluster.submit(input, now));
    await this.#deps.journal.commit();
    return results.map(({ task, created }) => ({ task: taskView(task), created }));
  }

  /**
   * Tasks submitted long ago with the same idempotency key: the cluster lets old finished tasks go
   * from memory, so for a key it does not hold the store is asked (the key stays unique there).
   */
  async #storedByIdempotencyKey(
    inputs: readonly TaskInputBody[],
  ): Promise<({ task: Task; created: false } | undefined)[]> {
    const { cluster, store } = this.#deps;
    return Promise.all(
      inputs.map(async (input) => {
        const key = input.idempotency_key;
        if (key == null || cluster.hasIdempotencyKey(key)) return undefined;
        const task = await store.getTaskByIdempotencyKey(key);
        return task ? { task, created: false as const } : undefined;
      }),
    );
  }

  #checkLimits(inputs: readonly TaskInputBody[]): void {
    const limits = this.#deps.limits;
    if (!limits) return;
    inputs.forEach((input, index) => {
      const bytes = input.payload === undefined ? 0 : Buffer.byteLength(JSON.stringify(input.payload));
      if (bytes > limits.maxPayloadBytes) {
        const where = inputs.length > 1 ? `tasks[${index}].` : '';
        throw new ClusterError(
          ErrorCode.PayloadTooLarge,
          `${where}payload is ${bytes} bytes; this main node accepts at most ${limits.maxPayloadBytes}`,
        );
      }
    });
    const waiting = this.#deps.cluster.unfinishedCount;
    if (waiting + inputs.length > limits.maxQueuedTasks) {
      throw new ClusterError(
        ErrorCode.QueueFull,
        `the queue holds ${waiting} unfinished tasks and takes at most ${limits.maxQueuedTasks}; try again later`,
      );
    }
  }

  async getTask(taskId: string): Promise<TaskView> {
    const live = this.#deps.cluster.tasks.get(taskId);
    if (live) return taskView(live);
    const stored = await this.#deps.store.getTask(taskId);
    if (!stored) throw new ClusterError(ErrorCode.TaskNotFound, `task ${taskId} not found`);
    return taskView(stored);
  }

  /** Resolves with the task once it is finished, or as it is when `timeoutMs` runs out. */
  async waitForTask(taskId: string, timeoutMs: number, signal?: AbortSignal): Promise<TaskView> {
    const current = await this.getTask(taskId);
    if (isTerminal(current.status) || timeoutMs <= 0) return current;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.events.off('event', onEvent);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const onEvent = (event: ClusterEvent) => {
        const task = event.task_id === taskId ? this.#deps.cluster.tasks.get(taskId) : undefined;
        if (task && isTerminal(task.status)) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.events.on('event', onEvent);
      signal?.addEventListener('abort', done);
    });
    return this.getTask(taskId);
  }

  /** Stored events after `afterId`, oldest first: what a live stream missed while it was away. */
  eventsAfter(afterId: number, limit: number): Promise<StoredEvent[]> {
    return this.#deps.store.eventsAfter(afterId, limit);
  }

  async cancelTask(taskId: string): Promise<TaskView> {
    const task = this.#deps.cluster.cancel(taskId, this.#deps.clock.now());
    await this.#deps.journal.commit();
    return taskView(task);
  }

  async retryTask(taskId: string): Promise<TaskView> {
    const task = this.#deps.cluster.retry(taskId, this.#deps.clock.now());
    await this.#deps.journal.commit();
    return taskView(task);
  }

  /** Paged and filtered (`status`, `role`, `platform`, `tags`, `page`, `page_size`); validates the query. */
  async listTasks(query: unknown): Promise<TaskPageView> {
    return listTasks(this.#deps, query);
  }

  async taskStatus(taskId: string): Promise<TaskStatusView> {
    return taskStatus(this.#deps, await this.getTask(taskId));
  }

  /** NO_TASK_RESULT until the task has finished. */
  async taskResult(taskId: string): Promise<TaskResultView> {
    return taskResult(await this.getTask(taskId));
  }

  /** The task's history, oldest first. */
  async taskEvents(taskId: string): Promise<EventView[]> {
    await this.getTask(taskId);
    return taskEvents(this.#deps, taskId);
  }

  taskStatistics(): Promise<TaskStatistics> {
    return taskStatistics(this.#deps);
  }

  taskTypes(): TaskTypeView[] {
    return taskTypes(this.#deps);
  }

  /** The last `limit` cluster events, oldest first. */
  async recentEvents(limit: number): Promise<EventView[]> {
    await this.#deps.journal.commit();
    return (await this.#deps.store.recentEvents(limit)).map(eventView);
  }

  listDevices(filter: DeviceFilter = {}): DeviceView[] {
    return filterDevices(this.#deps.cluster, filter);
  }

  /** Validates the query (filters, `page`, `page_size` <= 100). */
  devicePage(query: unknown): DevicePage {
    return devicePage(this.#deps.cluster, query);
  }

  deviceSummary(): DeviceSummary {
    return deviceSummary(this.#deps.cluster);
  }

  /** Profile, latest metrics, recent heartbeats and the tasks it runs. */
  deviceDetail(deviceId: string): Promise<DeviceDetail> {
    return deviceDetail(this.#deps, deviceId);
  }

  deviceStatus(deviceId: string): DeviceStatusView {
    return deviceStatus(this.#deps.cluster, deviceId, this.#deps.clock.now());
  }

  clusterHealth(): Promise<ClusterHealth> {
    return clusterHealth(this.#deps);
  }

  getDevice(deviceId: string): DeviceView {
    const device = this.#deps.cluster.devices.get(deviceId);
    if (!device) throw new ClusterError(ErrorCode.DeviceNotFound, `device ${deviceId} not found`);
    return deviceView(device);
  }

  async setDraining(deviceId: string, draining: boolean): Promise<DeviceView> {
    const device = this.#deps.cluster.setDraining(deviceId, draining, this.#deps.clock.now());
    await this.#deps.journal.commit();
    return deviceView(device);
  }

  /** Forgets the device; returns the ids of the tasks it held, which are back in the queue. */
  async removeDevice(deviceId: string): Promise<string[]> {
    const requeued = tasksHeldBy(this.#deps.cluster, requireDevice(this.#deps.cluster, deviceId));
    this.#deps.cluster.removeDevice(deviceId, this.#deps.clock.now());
    await this.#deps.journal.commit();
    return requeued;
  }

  clusterStatus(): ClusterStatus {
    const devices = this.listDevices();
    const byStatus: Record<string, number> = {};
    const byRole: Record<string, number> = {};
    const byPlatform: Record<string, number> = {};
    const resources = { cpu_cores: 0, memory_gb: 0, storage_gb: 0 };
    for (const d of devices) {
      byStatus[d.status] = (byStatus[d.status] ?? 0) + 1;
      byRole[d.role] = (byRole[d.role] ?? 0) + 1;
      byPlatform[d.platform] = (byPlatform[d.platform] ?? 0) + 1;
      if (d.status === 'online' || d.status === 'draining') {
        resources.cpu_cores += d.cpu_count;
        resources.memory_gb += d.memory_total_gb;
        resources.storage_gb += d.storage_total_gb ?? 0;
      }
    }
    const online = (byStatus.online ?? 0) + (byStatus.draining ?? 0);
    const tasksByStatus = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<string, number>;
    for (const task of this.#deps.cluster.tasks.values()) tasksByStatus[task.status]!++;
    return {
      version: this.#deps.version,
      uptime_seconds: Math.round((this.#deps.clock.now() - this.#deps.startedAt) / 1000),
      cluster_stats: {
        total_devices: devices.length,
        online_devices: online,
        offline_devices: devices.length - online,
        health_percentage: devices.length === 0 ? 100 : Math.round((online / devices.length) * 1000) / 10,
        total_resources: {
          cpu_cores: resources.cpu_cores,
          memory_gb: round2(resources.memory_gb),
          storage_gb: round2(resources.storage_gb),
        },
        by_role: byRole,
        by_platform: byPlatform,
        by_status: byStatus,
      },
      tasks_by_status: tasksByStatus,
      queue_depth: this.#deps.cluster.queuedCount,
      task_types: [...new Set([...BUILTIN_TASK_TYPES, ...devices.flatMap((d) => d.task_types)])].sort(),
    };
  }

  isTerminalTask(view: TaskView): boolean {
    return isTerminal(view.status);
  }
}

export interface ClusterStatus {
  version: string;
  uptime_seconds: number;
  cluster_stats: {
    total_devices: number;
    online_devices: number;
    offline_devices: number;
    health_percentage: number;
    total_resources: { cpu_cores: number; memory_gb: number; storage_gb: number };
    by_role: Record<string, number>;
    by_platform: Record<string, number>;
    by_status: Record<string, number>;
  };
  tasks_by_status: Record<string, number>;
  queue_depth: number;
  task_types: string[];
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
