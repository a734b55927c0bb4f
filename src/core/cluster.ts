/**
 * The cluster's authoritative in-memory state and every transition of it. Pure: the caller passes
 * `now` into each call, performs the returned effects (sockets) after persisting the returned
 * changes (store), and calls `tick` when `nextDeadline()` comes.
 *
 * Glossary
 * - change: a task or device whose stored copy is stale; the journal writes them in one transaction.
 * - effect: a message the main node must send once the changes that caused it are durable.
 * - deadline: a moment when something may have to happen (retry due, task overdue, grace over,
 *   heartbeat missed); kept in one heap, checked against the current state when it comes.
 */
import { devicesToWake, macOf } from './wakePlan.ts';
import { ClusterError, ErrorCode } from '../protocol/errorCodes.ts';
import type {
  DeviceMetrics,
  DeviceProfile,
  TaskRef,
  TaskResultData,
  TaskSpec,
} from '../protocol/messages.ts';
import { isTerminal } from '../protocol/messages.ts';
import { iso } from './clock.ts';
import { DeadlineHeap } from './deadlineHeap.ts';
import type { Device } from './device.ts';
import { effectiveSlots, freeSlots, speedScore } from './device.ts';
import { evaluatePolicy, INITIAL_DEVICE_POLICY, thresholdsFor } from './policies/devicePolicy.ts';
import { isFlapping, recordDrop } from './policies/flapPolicy.ts';
import { DEFAULT_THRESHOLDS, type PolicyThresholds } from './policies/policyTypes.ts';
import { acceptsType, meetsRequirements } from './requirements.ts';
import { DurationSamples } from './durationSamples.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs } from './retryPolicy.ts';
import { type Candidate, type PlacementRequest, planPlacements } from './scheduler.ts';
import type { AttemptRef, Task, TaskInput } from './task.ts';
import { isSpeculative, TASK_DEFAULTS } from './task.ts';
import { TaskQueue } from './taskQueue.ts';

export interface ClusterOptions {
  heartbeatTimeoutMs: number;
  reconnectGraceMs: number;
  /** How long past its timeout the main node waits for a worker's own timeout report. */
  deadlineMarginMs: number;
  /** Keep at most one heartbeat sample per device per this interval in the history. */
  heartbeatSampleMs: number;
  retry: RetryPolicy;
  /** Battery and heat thresholds for devices that do not send their own. */
  policy: PolicyThresholds;
  straggler: StragglerOptions;
  /** Wake-on-LAN: at most one packet per sleeping device per this many ms; null = off. */
  wakeIntervalMs: number | null;
  /**
   * Finished tasks kept in memory, the most recent ones; older ones live in the store only (the
   * service reads them from there). Default 10,000, what a restart loads.
   */
  finishedKept?: number;
}

const DEFAULT_FINISHED_KEPT = 10_000;

/**
 * A running attempt is a straggler once it has run `factor` × its type's median duration (and at
 * least `minMs`), with the queue empty; the median needs `minSamples` recent successes.
 */
export interface StragglerOptions {
  factor: number;
  minMs: number;
  minSamples: number;
}

export const DEFAULT_CLUSTER_OPTIONS: ClusterOptions = {
  heartbeatTimeoutMs: 300_000,
  reconnectGraceMs: 15_000,
  deadlineMarginMs: 10_000,
  heartbeatSampleMs: 60_000,
  retry: DEFAULT_RETRY_POLICY,
  policy: DEFAULT_THRESHOLDS,
  straggler: { factor: 3, minMs: 3000, minSamples: 3 },
  wakeIntervalMs: null,
};

/** While a straggler waits for an idle device (or an empty queue), it is checked again this often. */
const STRAGGLER_RECHECK_MS = 1000;

/** The cluster's timers, by what they concern: a task (and attempt) or a device. */
const DEADLINE = {
  /** A task's retry backoff is over. */
  retry: 'retry',
  /** An attempt's result is overdue. */
  timeout: 'timeout',
  /** An attempt may be a straggler worth a speculative copy. */
  straggler: 'straggler',
  /** A disconnected device's reconnect grace is over. */
  grace: 'grace',
  /** A device's heartbeat is overdue. */
  heartbeat: 'heartbeat',
} as const;

const TASK_DEADLINES = [DEADLINE.retry, DEADLINE.timeout, DEADLINE.straggler];

export type Effect =
  | { kind: 'assign'; device_id: string; task: TaskSpec }
  | { kind: 'cancel'; device_id: string; task_id: string; attempt: number }
  | { kind: 'disconnect'; device_id: string; reason: string }
  | { kind: 'wake'; device_id: string; mac: string };

export interface ClusterEvent {
  /** Increasing, without gaps, across restarts: live streams resume from it (SSE Last-Event-ID). */
  id: number;
  type: string;
  at: number;
  task_id?: string;
  device_id?: string;
  data?: Record<string, unknown>;
}

export interface HeartbeatSample {
  device_id: string;
  at: number;
  metrics: DeviceMetrics;
}

export interface Changes {
  tasks: Task[];
  devices: Device[];
  removedDevices: string[];
  heartbeats: HeartbeatSample[];
  events: ClusterEvent[];
  /** Passing news (device metrics) for live views only: not stored, not numbered. */
  notices: Notice[];
  effects: Effect[];
}

export type Notice = Omit<ClusterEvent, 'id'>;

export interface ClusterDeps {
  newId(): string;
}

export type ResultOutcome = 'applied' | 'fenced';

export class Cluster {
  readonly tasks = new Map<string, Task>();
  readonly devices = new Map<string, Device>();
  /** When each device was last sent a Wake-on-LAN packet. */
  readonly #lastWake = new Map<string, number>();
  /** Ids an administrator removed: they may not join again. */
  readonly #revoked = new Set<string>();
  readonly options: ClusterOptions;
  #deps: ClusterDeps;
  #queue = new TaskQueue();
  #deadlines = new DeadlineHeap();
  #idempotency = new Map<string, string>();
  /** Ids of finished tasks, oldest first from `#finishedHead`; past `finishedKept` they are let go. */
  #finished: string[] = [];
  #finishedHead = 0;
  #lastSample = new Map<string, number>();
  /** Devices with a heartbeat deadline in the heap: one chain each, however often they reconnect. */
  #watched = new Set<string>();
  #seq = 0;
  #unfinished = 0;
  #eventId = 0;
  #cursor = 0;
  #needsSchedule = false;
  #changes: Changes = emptyChanges();
  #dirtyTasks = new Set<Task>();
  #dirtyDevices = new Set<Device>();
  /** Recent successful durations per task type, for the straggler threshold. */
  #durations = new DurationSamples();

  constructor(deps: ClusterDeps, options: Partial<ClusterOptions> = {}) {
    this.#deps = deps;
    this.options = { ...DEFAULT_CLUSTER_OPTIONS, ...options };
  }

  get queuedCount(): number {
    return this.#queue.size;
  }

  /** Tasks not finished yet: queued, waiting for a retry, assigned or running. */
  get unfinishedCount(): number {
    return this.#unfinished;
  }

  get hasPendingChanges(): boolean {
    return (
      this.#needsSchedule ||
      this.#dirtyTasks.size > 0 ||
      this.#dirtyDevices.size > 0 ||
      this.#changes.events.length > 0 ||
      this.#changes.effects.length > 0 ||
      this.#changes.heartbeats.length > 0 ||
      this.#changes.notices.length > 0 ||
      this.#changes.removedDevices.length > 0
    );
  }

  isRevoked(deviceId: string): boolean {
    return this.#revoked.has(deviceId);
  }

  /** Rebuilds state from the store after a start. Every device counts as just disconnected. */
  restore(
    devices: Device[],
    tasks: Task[],
    now: number,
    lastEventId = 0,
    revoked: readonly string[] = [],
  ): void {
    this.#eventId = lastEventId;
    for (const id of revoked) this.#revoked.add(id);
    for (const device of devices) {
      device.running = new Map();
      if (device.state !== 'offline') {
        device.state = 'disconnected';
        device.disconnected_at = now;
        this.#deadlines.push(now + this.options.reconnectGraceMs, DEADLINE.grace, device.device_id);
      }
      // Silence while the main node was down is not the device's fault: its timeout starts now.
      device.last_seen = Math.max(device.last_seen, now);
      this.#watchHeartbeat(device);
      this.devices.set(device.device_id, device);
    }
    for (const task of tasks.sort((a, b) => a.seq - b.seq)) {
      this.tasks.set(task.task_id, task);
      this.#seq = Math.max(this.#seq, task.seq);
      if (task.idempotency_key) this.#idempotency.set(task.idempotency_key, task.task_id);
      if (!isTerminal(task.status)) this.#unfinished++;
      else this.#finished.push(task.task_id);
      if (task.status === 'queued' || task.status === 'pending') this.#enqueue(task, now);
      else if (task.status === 'assigned' || task.status === 'running') this.#restoreAssigned(task, now);
    }
    this.#forgetOldFinished();
    this.#needsSchedule = true;
  }

  #restoreAssigned(task: Task, now: number): void {
    // A speculative copy is not worth restoring: the primary carries on; the copy's device, when it
    // comes back, is told to cancel (its attempt is no longer current).
    if (task.speculative_copy) task.speculative_copy = null;
    const device = task.assigned_device_id ? this.devices.get(task.assigned_device_id) : undefined;
    if (!device || device.state === 'offline') {
      this.#failAttempt(task, 'lost', 'device not connected after main node restart', now);
      return;
    }
    device.running.set(task.task_id, task.attempt);
    this.#pushTaskDeadline(task, now);
  }

  submit(input: TaskInput, now: number): { task: Task; created: boolean } {
    const key = input.idempotency_key ?? null;
    if (key !== null) {
      const existing = this.#idempotency.get(key);
      const task = existing ? this.tasks.get(existing) : undefined;
      if (task) return { task, created: false };
    }
    const task: Task = {
      task_id: this.#deps.newId(),
      task_type: input.task_type,
      payload: input.payload ?? null,
      priority: input.priority ?? TASK_DEFAULTS.priority,
      requirements: input.requirements ?? {},
      timeout_seconds: input.timeout_seconds ?? TASK_DEFAULTS.timeout_seconds,
      max_retries: input.max_retries ?? TASK_DEFAULTS.max_retries,
      metadata: input.metadata ?? {},
      idempotency_key: key,
      status: 'queued',
      attempt: 0,
      assigned_device_id: null,
      created_at: iso(now),
      assigned_at: null,
      started_at: null,
      completed_at: null,
      retry_count: 0,
      error_history: [],
      result: null,
      seq: ++this.#seq,
      not_before: null,
    };
    if (input.speculative !== undefined) task.speculative = input.speculative;
    this.tasks.set(task.task_id, task);
    this.#unfinished++;
    if (key !== null) this.#idempotency.set(key, task.task_id);
    this.#queue.push(task.task_id, task.seq, task.priority);
    this.#needsSchedule = true;
    this.#touchTask(task);
    this.#event('task.submitted', now, task, undefined, {
      task_type: task.task_type,
      priority: task.priority,
    });
    return { task, created: true };
  }

  /** A device (already authenticated by the caller) joins or comes back. */
  register(
    profile: DeviceProfile,
    secretHash: string,
    reported: readonly TaskRef[],
    metrics: DeviceMetrics | null,
    now: number,
    paused: string | null = null,
  ): Device {
    const id = profile.device_id;
    let device = this.devices.get(id);
    const returning = device !== undefined;
    if (!device) {
      device = {
        device_id: id,
        profile,
        state: 'online',
        draining: false,
        secret_hash: secretHash,
        registered_at: iso(now),
        last_seen: now,
        disconnected_at: null,
        metrics,
        running: new Map(),
      };
      this.devices.set(id, device);
    }
    device.profile = profile;
    device.state = 'online';
    device.last_seen = now;
    device.disconnected_at = null;
    device.metrics = metrics ?? device.metrics;
    this.#applyPolicy(device, metrics, paused, now);
    this.#reconcileRunning(device, reported, now);
    this.#watchHeartbeat(device);
    this.#touchDevice(device);
    this.#event(returning ? 'device.reconnected' : 'device.online', now, undefined, device);
    this.#needsSchedule = true;
    return device;
  }

  /** Keeps what the device still runs; what it forgot is lost; what it runs that is not its own is cancelled. */
  #reconcileRunning(device: Device, reported: readonly TaskRef[], now: number): void {
    const still = new Map(reported.map((ref) => [ref.task_id, ref.attempt]));
    for (const [taskId, attempt] of [...device.running]) {
      if (still.get(taskId) === attempt) continue;
      device.running.delete(taskId);
      const task = this.tasks.get(taskId);
      if (task && this.#isCurrentAttempt(task, device.device_id, attempt)) {
        this.#attemptFailed(
          task,
          device.device_id,
          attempt,
          'lost',
          'device restarted without the task',
          now,
        );
      }
    }
    for (const ref of reported) {
      const task = this.tasks.get(ref.task_id);
      const current = task !== undefined && this.#isCurrentAttempt(task, device.device_id, ref.attempt);
      // A kept slot whose task is no longer current was cancelled while the device was away: say it again.
      if (current && device.running.get(ref.task_id) === ref.attempt) continue;
      this.#changes.effects.push({ kind: 'cancel', device_id: device.device_id, ...ref });
    }
  }

  heartbeat(deviceId: string, metrics: DeviceMetrics, now: number, paused: string | null = null): void {
    const device = this.devices.get(deviceId);
    if (!device) return;
    device.last_seen = now;
    device.metrics = metrics;
    this.#applyPolicy(device, metrics, paused, now);
    this.#changes.notices.push({ type: 'device.metrics', at: now, device_id: deviceId, data: { metrics } });
    if (device.state !== 'online') {
      device.state = 'online';
      device.disconnected_at = null;
      // Back from offline (a legacy one-shot heartbeat): silence must take it offline again.
      this.#watchHeartbeat(device);
      this.#touchDevice(device);
      this.#needsSchedule = true;
    }
    const last = this.#lastSample.get(deviceId) ?? 0;
    if (now - last >= this.options.heartbeatSampleMs) {
      this.#lastSample.set(deviceId, now);
      this.#changes.heartbeats.push({ device_id: deviceId, at: now, metrics });
      this.#touchDevice(device);
    }
  }

  disconnect(deviceId: string, now: number): void {
    const device = this.devices.get(deviceId);
    if (!device || device.state !== 'online') return;
    device.state = 'disconnected';
    device.disconnected_at = now;
    const policy = device.policy ?? INITIAL_DEVICE_POLICY;
    device.policy = { ...policy, flap: recordDrop(policy.flap, now) };
    this.#deadlines.push(now + this.options.reconnectGraceMs, DEADLINE.grace, deviceId);
    this.#touchDevice(device);
    this.#event('device.disconnected', now, undefined, device);
  }

  /** Re-evaluates battery, heat and owner pause; a changed limit is an event and may free work. */
  #applyPolicy(device: Device, metrics: DeviceMetrics | null, paused: string | null, now: number): void {
    const before = device.policy ?? INITIAL_DEVICE_POLICY;
    const after = evaluatePolicy(
      before,
      metrics,
      paused,
      thresholdsFor(device.profile, this.options.policy),
      device.profile.max_concurrent_tasks,
    );
    device.policy = after;
    if (after.slots === before.slots && after.reason === before.reason) return;
    this.#needsSchedule = true;
    const type =
      after.slots === null ? 'device.resumed' : after.slots === 0 ? 'device.paused' : 'device.limited';
    this.#event(type, now, undefined, device, { reason: after.reason ?? before.reason, slots: after.slots });
  }

  setDraining(deviceId: string, draining: boolean, now: number): Device {
    const device = this.#device(deviceId);
    device.draining = draining;
    this.#touchDevice(device);
    this.#event(draining ? 'device.draining' : 'device.undrained', now, undefined, device);
    if (!draining) this.#needsSchedule = true;
    return device;
  }

  /** Forgets a device; its tasks go back to the queue without spending a retry. */
  removeDevice(deviceId: string, now: number): void {
    const device = this.#device(deviceId);
    for (const [taskId, attempt] of device.running) {
      const task = this.tasks.get(taskId);
      if (!task || !this.#isCurrentAttempt(task, deviceId, attempt)) continue;
      if (!this.#dropLive(task, deviceId, attempt, 'lost', 'device removed', now)) this.#requeue(task, now);
    }
    device.running.clear();
    this.devices.delete(deviceId);
    this.#revoked.add(deviceId);
    this.#dirtyDevices.delete(device);
    this.#changes.removedDevices.push(deviceId);
    this.#changes.effects.push({ kind: 'disconnect', device_id: deviceId, reason: 'device removed' });
    this.#event('device.removed', now, undefined, device);
    this.#needsSchedule = true;
  }

  taskRejected(deviceId: string, ref: TaskRef, reason: string, now: number): void {
    const device = this.devices.get(deviceId);
    if (!device || device.running.get(ref.task_id) !== ref.attempt) return;
    device.running.delete(ref.task_id);
    const task = this.tasks.get(ref.task_id);
    if (!task || !this.#isCurrentAttempt(task, deviceId, ref.attempt)) return;
    this.#needsSchedule = true;
    if (this.#dropLive(task, deviceId, ref.attempt, 'rejected', reason, now)) return;
    task.error_history.push({
      attempt: ref.attempt,
      device_id: deviceId,
      status: 'rejected',
      error: reason,
      at: iso(now),
    });
    this.#requeue(task, now);
    this.#needsSchedule = true;
  }

  taskStarted(deviceId: string, ref: TaskRef, now: number): ResultOutcome {
    const task = this.tasks.get(ref.task_id);
    if (!task || !this.#isCurrentAttempt(task, deviceId, ref.attempt)) return 'fenced';
    this.#markStarted(task, deviceId, now);
    return 'applied';
  }

  #markStarted(task: Task, deviceId: string, now: number): void {
    if (task.status === 'running') return;
    task.status = 'running';
    task.started_at = iso(now);
    this.#touchTask(task);
    this.#event('task.started', now, task, this.devices.get(deviceId));
  }

  taskResult(deviceId: string, result: TaskResultData, now: number): ResultOutcome {
    const device = this.devices.get(deviceId);
    if (device && device.running.get(result.task_id) === result.attempt) {
      device.running.delete(result.task_id);
      this.#needsSchedule = true;
    }
    const task = this.tasks.get(result.task_id);
    if (!task || !this.#isCurrentAttempt(task, deviceId, result.attempt)) {
      this.#event('task.result_fenced', now, task, device, {
        attempt: result.attempt,
        status: result.status,
      });
      return 'fenced';
    }
    // A task that finished within the worker's turn comes back as its result alone.
    if (task.status === 'assigned') this.#markStarted(task, deviceId, now);
    if (result.status === 'success') {
      const other = this.#otherLive(task, deviceId, result.attempt);
      // The first result wins; the other attempt is told to stop (its slot frees when it confirms).
      if (other)
        this.#changes.effects.push({
          kind: 'cancel',
          device_id: other.device_id,
          task_id: task.task_id,
          attempt: other.attempt,
        });
      else if (task.assigned_at !== null)
        this.#durations.add(task.task_type, now - Date.parse(task.assigned_at));
      task.assigned_device_id = deviceId;
      task.attempt = result.attempt;
      this.#finish(
        task,
        'success',
        now,
        result.result_data ?? null,
        result.error ?? null,
        deviceId,
        result.duration_ms ?? null,
      );
    } else if (result.status === 'cancelled') {
      // The task was not cancelled here (that would have fenced it): the worker gave it up.
      this.#attemptFailed(
        task,
        deviceId,
        result.attempt,
        'lost',
        result.error ?? 'worker stopped the task',
        now,
      );
    } else {
      const error = result.error ?? result.status;
      this.#attemptFailed(task, deviceId, result.attempt, result.status, error, now, result.result_data);
    }
    return 'applied';
  }

  cancel(taskId: string, now: number): Task {
    const task = this.#task(taskId);
    if (isTerminal(task.status)) {
      throw new ClusterError(ErrorCode.InvalidState, `task ${taskId} is already ${task.status}`);
    }
    this.#queue.remove(taskId);
    const deviceId = task.assigned_device_id;
    if ((task.status === 'assigned' || task.status === 'running') && deviceId) {
      // The slot stays taken until the worker confirms it stopped the process.
      this.#changes.effects.push({
        kind: 'cancel',
        device_id: deviceId,
        task_id: taskId,
        attempt: task.attempt,
      });
    }
    const copy = task.speculative_copy;
    if (copy)
      this.#changes.effects.push({
        kind: 'cancel',
        device_id: copy.device_id,
        task_id: taskId,
        attempt: copy.attempt,
      });
    this.#finish(task, 'cancelled', now, null, 'cancelled by request', deviceId, null);
    return task;
  }

  /** Puts a finished, unsuccessful task back in the queue with a fresh retry budget. */
  retry(taskId: string, now: number): Task {
    const task = this.#task(taskId);
    if (!isTerminal(task.status) || task.status === 'success') {
      throw new ClusterError(
        ErrorCode.InvalidState,
        `task ${taskId} is ${task.status}; only failed, timed-out or cancelled tasks can be retried`,
      );
    }
    task.retry_count = 0;
    task.result = null;
    task.completed_at = null;
    this.#unfinished++;
    this.#requeue(task, now);
    this.#event('task.resubmitted', now, task);
    return task;
  }

  /** Places queued tasks on devices with free slots; call once per batch of changes. */
  schedule(now: number): void {
    if (!this.#needsSchedule) return;
    this.#needsSchedule = false;
    if (this.#queue.size === 0) return;
    this.#wakeSleepers(now);
    const candidates: Candidate[] = [];
    for (const device of this.devices.values()) {
      if (device.state !== 'online' || device.draining || freeSlots(device) === 0) continue;
      candidates.push({
        device_id: device.device_id,
        profile: device.profile,
        slots: effectiveSlots(device),
        running: device.running.size,
        memory_available_gb: device.metrics?.memory_available_gb ?? null,
        speed_score: speedScore(device),
        flapping: device.policy !== undefined && isFlapping(device.policy.flap, now),
      });
    }
    if (candidates.length === 0) return;
    const plan = planPlacements(this.#placementRequests(), candidates, this.#cursor);
    this.#cursor = plan.cursor;
    for (const { task_id, device_id } of plan.placements)
      this.#assign(this.tasks.get(task_id)!, this.devices.get(device_id)!, now);
  }

  /** With Wake-on-LAN on, wakes sleeping devices that could take work no awake device can. */
  #wakeSleepers(now: number): void {
    const intervalMs = this.options.wakeIntervalMs;
    if (intervalMs === null) return;
    for (const device of devicesToWake(
      this.#queuedTasks(),
      this.devices.values(),
      this.#lastWake,
      now,
      intervalMs,
    )) {
      this.#lastWake.set(device.device_id, now);
      this.#changes.effects.push({ kind: 'wake', device_id: device.device_id, mac: macOf(device)! });
      this.#event('device.wake_sent', now, undefined, device);
    }
  }

  *#queuedTasks(): Generator<Task> {
    for (const id of this.#queue.ordered()) yield this.tasks.get(id)!;
  }

  *#placementRequests(): Generator<PlacementRequest> {
    for (const id of this.#queue.ordered()) yield this.tasks.get(id)!;
  }

  #assign(task: Task, device: Device, now: number): void {
    this.#queue.remove(task.task_id);
    // Past any speculative copy's number too: an attempt number is never handed out twice.
    task.attempt = Math.max(task.attempt, task.last_attempt ?? 0) + 1;
    task.status = 'assigned';
    task.assigned_device_id = device.device_id;
    task.assigned_at = iso(now);
    task.started_at = null;
    device.running.set(task.task_id, task.attempt);
    this.#pushTaskDeadline(task, now);
    this.#pushStragglerCheck(task, now);
    this.#touchTask(task);
    this.#changes.effects.push({
      kind: 'assign',
      device_id: device.device_id,
      task: taskSpec(task, task.attempt),
    });
    this.#event('task.assigned', now, task, device, { attempt: task.attempt });
  }

  #pushStragglerCheck(task: Task, now: number): void {
    if (!isSpeculative(task)) return;
    const after = this.#durations.stragglerAfter(task.task_type, this.options.straggler);
    if (after !== null) this.#deadlines.push(now + after, DEADLINE.straggler, task.task_id, task.attempt);
  }

  /** A straggler gets a copy on an idle device once nothing else waits; else it is checked again later. */
  #stragglerDue(taskId: string, attempt: number, now: number): void {
    const task = this.tasks.get(taskId);
    if (!task || task.attempt !== attempt || task.speculative_copy) return;
    if (task.status !== 'assigned' && task.status !== 'running') return;
    const idle = this.#queue.size === 0 ? this.#idleDeviceFor(task) : null;
    if (idle === null) {
      this.#deadlines.push(now + STRAGGLER_RECHECK_MS, DEADLINE.straggler, task.task_id, attempt);
      return;
    }
    this.#launchCopy(task, idle, now);
  }

  /** The fastest device that runs nothing, may take work, and could run this task; not its own. */
  #idleDeviceFor(task: Task): Device | null {
    let best: Device | null = null;
    for (const device of this.devices.values()) {
      if (device.device_id === task.assigned_device_id || device.state !== 'online' || device.draining)
        continue;
      if (device.running.size > 0 || freeSlots(device) === 0) continue;
      if (
        !acceptsType(device.profile, task.task_type) ||
        !meetsRequirements(device.profile, task.requirements)
      )
        continue;
      if (best === null || (speedScore(device) ?? 100) > (speedScore(best) ?? 100)) best = device;
    }
    return best;
  }

  #launchCopy(task: Task, device: Device, now: number): void {
    const attempt = Math.max(task.attempt, task.last_attempt ?? 0) + 1;
    task.last_attempt = attempt;
    task.speculative_copy = { device_id: device.device_id, attempt };
    device.running.set(task.task_id, attempt);
    this.#deadlines.push(
      now + task.timeout_seconds * 1000 + this.options.deadlineMarginMs,
      DEADLINE.timeout,
      task.task_id,
      attempt,
    );
    this.#touchTask(task);
    this.#changes.effects.push({
      kind: 'assign',
      device_id: device.device_id,
      task: taskSpec(task, attempt),
    });
    this.#event('task.speculative', now, task, device, {
      attempt,
      straggler_device_id: task.assigned_device_id,
      straggler_attempt: task.attempt,
    });
  }

  /** Timers pending (task timeouts, straggler checks, retries, heartbeat and grace watches). */
  get pendingDeadlines(): number {
    return this.#deadlines.size;
  }

  nextDeadline(): number | null {
    return this.#deadlines.peekAt() ?? null;
  }

  /** Handles every deadline that has come. */
  tick(now: number): void {
    for (const { kind, id, attempt } of this.#deadlines.popDue(now)) {
      if (kind === DEADLINE.retry) this.#retryDue(id, now);
      else if (kind === DEADLINE.timeout) this.#taskOverdue(id, attempt, now);
      else if (kind === DEADLINE.grace) this.#graceOver(id, now);
      else if (kind === DEADLINE.heartbeat) this.#heartbeatDue(id, now);
      else if (kind === DEADLINE.straggler) this.#stragglerDue(id, attempt, now);
    }
  }

  #retryDue(taskId: string, now: number): void {
    const task = this.tasks.get(taskId);
    if (!task || task.status !== 'queued' || task.not_before === null || task.not_before > now) return;
    task.not_before = null;
    this.#queue.push(task.task_id, task.seq, task.priority);
    this.#needsSchedule = true;
  }

  #taskOverdue(taskId: string, attempt: number, now: number): void {
    const task = this.tasks.get(taskId);
    if (!task) return;
    const deviceId = this.#holderOf(task, attempt);
    if (deviceId === null) return;
    const device = this.devices.get(deviceId);
    if (device?.running.get(task.task_id) === attempt) device.running.delete(task.task_id);
    this.#changes.effects.push({ kind: 'cancel', device_id: deviceId, task_id: task.task_id, attempt });
    this.#attemptFailed(task, deviceId, attempt, 'timeout', `no result within ${task.timeout_seconds}s`, now);
    this.#needsSchedule = true;
  }

  #graceOver(deviceId: string, now: number): void {
    const device = this.devices.get(deviceId);
    if (!device || device.state !== 'disconnected' || device.disconnected_at === null) return;
    if (device.disconnected_at + this.options.reconnectGraceMs > now) return;
    this.#loseRunning(device, 'device did not reconnect within the grace period', now);
  }

  #heartbeatDue(deviceId: string, now: number): void {
    this.#watched.delete(deviceId);
    const device = this.devices.get(deviceId);
    if (!device || device.state === 'offline') return;
    const due = device.last_seen + this.options.heartbeatTimeoutMs;
    if (due > now) {
      this.#watchHeartbeat(device);
      return;
    }
    if (device.state === 'online') {
      this.#changes.effects.push({ kind: 'disconnect', device_id: deviceId, reason: 'heartbeat timeout' });
    }
    this.#loseRunning(device, 'device stopped sending heartbeats', now);
    device.state = 'offline';
    this.#touchDevice(device);
    this.#event('device.offline', now, undefined, device);
  }

  #watchHeartbeat(device: Device): void {
    if (this.#watched.has(device.device_id)) return;
    this.#watched.add(device.device_id);
    this.#deadlines.push(
      device.last_seen + this.options.heartbeatTimeoutMs,
      DEADLINE.heartbeat,
      device.device_id,
    );
  }

  #loseRunning(device: Device, reason: string, now: number): void {
    for (const [taskId, attempt] of device.running) {
      const task = this.tasks.get(taskId);
      if (task && this.#isCurrentAttempt(task, device.device_id, attempt))
        this.#attemptFailed(task, device.device_id, attempt, 'lost', reason, now);
    }
    device.running.clear();
    this.#needsSchedule = true;
  }

  /** One live attempt ended without success: the other one (if any) carries on, else a retry. */
  #attemptFailed(
    task: Task,
    deviceId: string,
    attempt: number,
    status: 'failed' | 'timeout' | 'lost',
    error: string,
    now: number,
    data?: unknown,
  ): void {
    if (!this.#dropLive(task, deviceId, attempt, status, error, now))
      this.#failAttempt(task, status, error, now, data);
  }

  /**
   * With a speculative copy running, ends one of the two live attempts and leaves the task on the
   * other (no retry spent: the task never stopped running). False when there is no copy.
   */
  #dropLive(
    task: Task,
    deviceId: string,
    attempt: number,
    status: 'failed' | 'timeout' | 'lost' | 'rejected',
    error: string,
    now: number,
  ): boolean {
    const copy = task.speculative_copy;
    if (!copy) return false;
    this.#attemptOver(task.task_id, attempt);
    task.error_history.push({ attempt, device_id: deviceId, status, error, at: iso(now) });
    if (copy.device_id !== deviceId || copy.attempt !== attempt) {
      // The straggler itself ended: the copy becomes the task's attempt.
      task.assigned_device_id = copy.device_id;
      task.attempt = copy.attempt;
    }
    task.speculative_copy = null;
    this.#touchTask(task);
    this.#event('task.attempt_dropped', now, task, undefined, {
      attempt,
      device_id: deviceId,
      reason: status,
    });
    return true;
  }

  /** The live attempt other than (deviceId, attempt), while a speculative copy runs. */
  #otherLive(task: Task, deviceId: string, attempt: number): AttemptRef | null {
    const copy = task.speculative_copy;
    if (!copy) return null;
    if (copy.device_id === deviceId && copy.attempt === attempt)
      return { device_id: task.assigned_device_id!, attempt: task.attempt };
    return copy;
  }

  /** The device holding this live attempt of the task, or null when the attempt is not live. */
  #holderOf(task: Task, attempt: number): string | null {
    if (task.status !== 'assigned' && task.status !== 'running') return null;
    if (task.attempt === attempt) return task.assigned_device_id;
    if (task.speculative_copy?.attempt === attempt) return task.speculative_copy.device_id;
    return null;
  }

  /** An attempt ended without success: retry with backoff while the budget lasts, else finish. */
  #failAttempt(
    task: Task,
    status: 'failed' | 'timeout' | 'lost',
    error: string,
    now: number,
    data?: unknown,
  ): void {
    this.#attemptOver(task.task_id, task.attempt);
    task.error_history.push({
      attempt: task.attempt,
      device_id: task.assigned_device_id,
      status,
      error,
      at: iso(now),
    });
    if (task.retry_count < task.max_retries) {
      task.retry_count += 1;
      task.status = 'queued';
      task.assigned_device_id = null;
      task.not_before = now + retryDelayMs(this.options.retry, task.retry_count);
      this.#deadlines.push(task.not_before, DEADLINE.retry, task.task_id);
      this.#touchTask(task);
      this.#event('task.retrying', now, task, undefined, {
        reason: status,
        error,
        retry_count: task.retry_count,
      });
      return;
    }
    const final = status === 'lost' ? 'failed' : status;
    this.#finish(task, final, now, data ?? null, error, task.assigned_device_id, null);
  }

  #requeue(task: Task, now: number): void {
    this.#attemptOver(task.task_id, task.attempt);
    task.status = 'queued';
    task.assigned_device_id = null;
    task.not_before = null;
    this.#queue.push(task.task_id, task.seq, task.priority);
    this.#needsSchedule = true;
    this.#touchTask(task);
    this.#event('task.queued', now, task);
  }

  #enqueue(task: Task, now: number): void {
    if (task.not_before !== null && task.not_before > now)
      this.#deadlines.push(task.not_before, DEADLINE.retry, task.task_id);
    else {
      task.not_before = null;
      this.#queue.push(task.task_id, task.seq, task.priority);
    }
  }

  #finish(
    task: Task,
    status: 'success' | 'failed' | 'timeout' | 'cancelled',
    now: number,
    data: unknown,
    error: string | null,
    deviceId: string | null,
    durationMs: number | null,
  ): void {
    if (!isTerminal(task.status)) this.#unfinished--;
    // Timeouts and straggler checks of every attempt, a retry's backoff: none of them matter now.
    this.#deadlines.deleteAll(task.task_id, TASK_DEADLINES);
    if (task.speculative_copy) task.speculative_copy = null;
    task.status = status;
    task.completed_at = iso(now);
    task.not_before = null;
    task.result = {
      status,
      result_data: data,
      error,
      device_id: deviceId,
      attempt: task.attempt,
      duration_ms: durationMs,
    };
    this.#touchTask(task);
    this.#finished.push(task.task_id);
    this.#forgetOldFinished();
    this.#event(
      `task.${status}`,
      now,
      task,
      deviceId ? this.devices.get(deviceId) : undefined,
      error ? { error } : undefined,
    );
  }

  /**
   * Lets go of the oldest finished tasks past `finishedKept`, so memory follows the work in flight,
   * not the work ever done. (A batch being committed holds its own references to the tasks in it.)
   */
  #forgetOldFinished(): void {
    const keep = this.options.finishedKept ?? DEFAULT_FINISHED_KEPT;
    while (this.#finished.length - this.#finishedHead > keep) {
      const id = this.#finished[this.#finishedHead++]!;
      const task = this.tasks.get(id);
      // Retried since it finished: it is in the list again, further on, if it finishes again.
      if (!task || !isTerminal(task.status)) continue;
      this.tasks.delete(id);
      const key = task.idempotency_key;
      if (key !== null && this.#idempotency.get(key) === id) this.#idempotency.delete(key);
    }
    if (this.#finishedHead > 1024 && this.#finishedHead * 2 > this.#finished.length) {
      this.#finished = this.#finished.slice(this.#finishedHead);
      this.#finishedHead = 0;
    }
  }

  /** Whether a task with this idempotency key is held in memory (else the store may know it). */
  hasIdempotencyKey(key: string): boolean {
    return this.#idempotency.has(key);
  }

  /** The attempt is over: its timeout and its straggler check no longer matter. */
  #attemptOver(taskId: string, attempt: number): void {
    this.#deadlines.delete(DEADLINE.timeout, taskId, attempt);
    this.#deadlines.delete(DEADLINE.straggler, taskId, attempt);
  }

  #pushTaskDeadline(task: Task, now: number): void {
    const at = now + task.timeout_seconds * 1000 + this.options.deadlineMarginMs;
    this.#deadlines.push(at, DEADLINE.timeout, task.task_id, task.attempt);
  }

  /** Fencing: the task's attempt, or its speculative copy; nothing else counts. */
  #isCurrentAttempt(task: Task, deviceId: string, attempt: number): boolean {
    return this.#holderOf(task, attempt) === deviceId;
  }

  #task(taskId: string): Task {
    const task = this.tasks.get(taskId);
    if (!task) throw new ClusterError(ErrorCode.TaskNotFound, `task ${taskId} not found`);
    return task;
  }

  #device(deviceId: string): Device {
    const device = this.devices.get(deviceId);
    if (!device) throw new ClusterError(ErrorCode.DeviceNotFound, `device ${deviceId} not found`);
    return device;
  }

  #touchTask(task: Task): void {
    this.#dirtyTasks.add(task);
  }

  #touchDevice(device: Device): void {
    this.#dirtyDevices.add(device);
  }

  #event(type: string, at: number, task?: Task, device?: Device, data?: Record<string, unknown>): void {
    const event: ClusterEvent = { id: ++this.#eventId, type, at };
    if (task) event.task_id = task.task_id;
    const deviceId = device?.device_id ?? task?.assigned_device_id;
    if (deviceId) event.device_id = deviceId;
    if (data) event.data = data;
    this.#changes.events.push(event);
  }

  /** Everything changed since the last call; the caller persists it, then performs the effects. */
  takeChanges(): Changes {
    const changes = this.#changes;
    changes.tasks = [...this.#dirtyTasks];
    changes.devices = [...this.#dirtyDevices];
    this.#dirtyTasks.clear();
    this.#dirtyDevices.clear();
    this.#changes = emptyChanges();
    return changes;
  }
}

function taskSpec(task: Task, attempt: number): TaskSpec {
  return {
    task_id: task.task_id,
    task_type: task.task_type,
    payload: task.payload,
    priority: task.priority,
    timeout_seconds: task.timeout_seconds,
    attempt,
    metadata: task.metadata,
  };
}

function emptyChanges(): Changes {
  return { tasks: [], devices: [], removedDevices: [], heartbeats: [], events: [], notices: [], effects: [] };
}
