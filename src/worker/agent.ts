/**
 * The worker's side of the protocol (DESIGN §3): register, heartbeat, accept or reject assignments,
 * report results, obey cancellations. A result stays in `#unacked` until the main node acknowledges
 * it and is re-sent after every reconnect, so a dropped connection loses no result.
 */
import { createAck, createError, createMessage, type Envelope } from '../protocol/envelope.ts';
import { ErrorCode } from '../protocol/errorCodes.ts';
import { FrameBatcher } from '../protocol/framer.ts';
import type {
  DeviceProfile,
  ErrorData,
  Message,
  RegisterData,
  RegisterResult,
  TaskRef,
  TaskResultData,
  TaskSpec,
} from '../protocol/messages.ts';
import { parseJoinToken } from '../protocol/joinToken.ts';
import { PROTOCOL_VERSION } from '../protocol/version.ts';
import type { Executor } from './executor.ts';
import type { WorkerLog } from './log.ts';
import { MainLink } from './mainLink.ts';
import type { MetricsSampler } from './profiler/metricsSampler.ts';
import type { DeviceMetrics } from '../protocol/messages.ts';

export interface AgentOptions {
  host: string;
  port: number;
  profile: DeviceProfile;
  joinToken: string | null;
  /** The secret issued at an earlier join, if any. */
  deviceSecret: string | null;
  /** Seconds; null = what the main node says. */
  heartbeatInterval: number | null;
  executor: Executor;
  sampler: MetricsSampler;
  log: WorkerLog;
  /** Called with a newly issued device secret, to be kept for the next start. */
  onSecret(secret: string): void;
  /** The main node refused this device for good (wrong token, id taken). */
  onRefused(code: string, message: string): void;
  onRegistered?(result: RegisterResult): void;
  /** The main node's certificate fingerprint to pin; null for a main node without TLS. */
  fingerprint: string | null;
  /** The owner's rules: a reason to take no new work now, or null. */
  pauseReason?(metrics: DeviceMetrics): string | null;
  /** Metrics sampled before the first register, so the main node applies its policies from the start. */
  initialMetrics?: DeviceMetrics | null;
}

/** Codes after which redialing cannot help: a person has to fix the configuration. */
const FATAL_REGISTER_CODES: ReadonlySet<string> = new Set([
  ErrorCode.Unauthorized,
  ErrorCode.DeviceIdTaken,
  ErrorCode.UnsupportedProtocol,
  ErrorCode.BadMessage,
  ErrorCode.TlsRequired,
]);

export class WorkerAgent {
  #options: AgentOptions;
  #link: MainLink;
  #secret: string | null;
  #registerId: string | null = null;
  #registered = false;
  #heartbeatTimer: NodeJS.Timeout | null = null;
  #lastHeard = 0;
  #intervalMs = 60_000;
  /** `${task_id}:${attempt}` -> the result message, until acked. */
  #unacked = new Map<string, Envelope<'task_result', TaskResultData>>();
  /** message id of each unacked result -> its key in `#unacked`, so an ack finds it at once. */
  #unackedIds = new Map<string, string>();
  /** What one turn sends (an ack, a status, results) leaves in one write. */
  #out = new FrameBatcher(
    (frames) => this.#link.send(frames),
    () => this.#announceStarts(),
  );
  /**
   * `${task_id}:${attempt}` -> the accepted assignment, until the turn's write. A task that finished
   * by then sends its result alone, which tells the main node it was accepted and started (DESIGN §3);
   * one still running is acked and reported `running` in that write.
   */
  #starting = new Map<string, Envelope<'task_assign', { task: TaskSpec }>>();
  /** The latest sample and the owner pause it led to; sent with register and each heartbeat. */
  #metrics: DeviceMetrics | null;
  #paused: string | null = null;

  constructor(options: AgentOptions) {
    this.#options = options;
    this.#metrics = options.initialMetrics ?? null;
    if (this.#metrics) this.#paused = options.pauseReason?.(this.#metrics) ?? null;
    this.#secret = options.deviceSecret;
    this.#link = new MainLink({
      host: options.host,
      port: options.port,
      log: options.log,
      onOpen: () => this.#register(),
      onMessage: (message) => this.#onMessage(message),
      onClose: () => this.#onClose(),
      fingerprint: options.fingerprint,
      onImpostor: (message) => options.onRefused('CERTIFICATE_MISMATCH', message),
    });
  }

  get deviceId(): string {
    return this.#options.profile.device_id;
  }

  get registered(): boolean {
    return this.#registered;
  }

  start(): void {
    this.#link.start();
  }

  /** Stops taking work, gives running tasks up (the main node retries them), flushes results. */
  async stop(): Promise<void> {
    this.#stopHeartbeats();
    await this.#options.executor.close();
    const deadline = Date.now() + 3000;
    while (this.#unacked.size > 0 && this.#link.connected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    this.#out.flush();
    await this.#link.stop();
  }

  #register(): void {
    const auth: RegisterData['auth'] = {};
    if (this.#secret) auth.device_secret = this.#secret;
    // Only the secret part travels; the fingerprint in the token was for us.
    if (this.#options.joinToken) auth.join_token = parseJoinToken(this.#options.joinToken).secret;
    const data: RegisterData = {
      ...this.#options.profile,
      protocol_version: PROTOCOL_VERSION,
      auth,
      running_tasks: this.#heldTasks(),
      paused: this.#paused === null ? null : { reason: this.#paused },
    };
    if (this.#metrics) data.metrics = this.#metrics;
    const message = createMessage('register', this.deviceId, data);
    this.#registerId = message.message_id;
    this.#lastHeard = Date.now();
    this.#out.push(message);
  }

  /** Tasks still running plus finished ones whose result the main node has not acknowledged yet. */
  #heldTasks(): TaskRef[] {
    const held = this.#options.executor.running();
    for (const message of this.#unacked.values()) {
      held.push({ task_id: message.data.task_id, attempt: message.data.attempt });
    }
    return held;
  }

  #onMessage(message: Message): void {
    this.#lastHeard = Date.now();
    switch (message.message_type) {
      case 'ack':
        return this.#onAck(message.data.original_message_id, message.data.result);
      case 'error':
        return this.#onError(message.data);
      case 'task_assign':
        return this.#onAssign(message);
      case 'task_cancel': {
        const cancelled = this.#options.executor.cancel(message.data.task_id, message.data.attempt);
        this.#options.log.info('cancel requested', { task_id: message.data.task_id, running: cancelled });
        return;
      }
      default:
        this.#options.log.debug('ignored message', { message_type: message.message_type });
    }
  }

  #onAck(originalId: string, result: unknown): void {
    if (originalId === this.#registerId) {
      this.#onRegistered(result as RegisterResult);
      return;
    }
    const key = this.#unackedIds.get(originalId);
    if (key === undefined) return;
    this.#unackedIds.delete(originalId);
    this.#unacked.delete(key);
  }

  #onRegistered(result: RegisterResult): void {
    this.#registerId = null;
    this.#registered = true;
    this.#link.resetBackoff();
    if (result.device_secret) {
      this.#secret = result.device_secret;
      this.#options.onSecret(result.device_secret);
    }
    this.#intervalMs = (this.#options.heartbeatInterval ?? result.heartbeat_interval) * 1000;
    this.#options.log.info('registered', {
      device_id: result.device_id,
      heartbeat_interval_s: this.#intervalMs / 1000,
    });
    for (const message of this.#unacked.values()) this.#out.push(message);
    this.#startHeartbeats();
    this.#options.onRegistered?.(result);
  }

  #onError(error: ErrorData): void {
    if (error.original_message_id !== null && error.original_message_id === this.#registerId) {
      this.#registerId = null;
      if (FATAL_REGISTER_CODES.has(error.code)) {
        this.#options.onRefused(error.code, error.error);
        return;
      }
    }
    this.#options.log.warn('error from main node', { code: error.code, error: error.error });
  }

  #onAssign(message: Envelope<'task_assign', { task: TaskSpec }>): void {
    const spec = message.data.task;
    const acceptance =
      this.#paused !== null
        ? { ok: false as const, reason: `paused: ${this.#paused}` }
        : this.#options.executor.canAccept(spec);
    if (!acceptance.ok) {
      this.#options.log.warn('task rejected', { task_id: spec.task_id, reason: acceptance.reason });
      this.#out.push(createError(this.deviceId, message, ErrorCode.Rejected, acceptance.reason));
      return;
    }
    this.#starting.set(`${spec.task_id}:${spec.attempt}`, message);
    this.#out.schedule();
    this.#options.log.debug('task started', { task_id: spec.task_id, task_type: spec.task_type });
    void this.#options.executor.run(spec).then((result) => this.#report(result));
  }

  #report(result: TaskResultData): void {
    const message = createMessage('task_result', this.deviceId, result);
    const key = `${result.task_id}:${result.attempt}`;
    this.#starting.delete(key);
    const previous = this.#unacked.get(key);
    if (previous) this.#unackedIds.delete(previous.message_id);
    this.#unacked.set(key, message);
    this.#unackedIds.set(message.message_id, key);
    this.#options.log.info('task finished', {
      task_id: result.task_id,
      status: result.status,
      ms: result.duration_ms,
    });
    if (this.#registered) this.#out.push(message);
  }

  #announceStarts(): void {
    for (const assign of this.#starting.values()) {
      const { task_id, attempt } = assign.data.task;
      this.#out.push(createAck(this.deviceId, assign));
      this.#out.push(createMessage('task_status', this.deviceId, { task_id, attempt, status: 'running' }));
    }
    this.#starting.clear();
  }

  #startHeartbeats(): void {
    this.#stopHeartbeats();
    const beat = () => {
      // A main node that stopped answering (a cut link with no FIN) is dropped and redialed.
      if (Date.now() - this.#lastHeard > 2 * this.#intervalMs + 5000) {
        this.#link.drop('main node silent');
        return;
      }
      void this.#options.sampler.sample(this.#options.executor.size).then((metrics) => {
        const running = this.#options.executor.running().map((ref) => ref.task_id);
        const paused = this.#options.pauseReason?.(metrics) ?? null;
        if (paused !== this.#paused)
          this.#options.log.info(paused ? 'paused' : 'resumed', { reason: paused });
        this.#metrics = metrics;
        this.#paused = paused;
        this.#out.push(
          createMessage('heartbeat', this.deviceId, {
            metrics,
            running_tasks: running,
            paused: paused === null ? null : { reason: paused },
          }),
        );
      });
    };
    beat();
    this.#heartbeatTimer = setInterval(beat, this.#intervalMs);
  }

  #stopHeartbeats(): void {
    if (this.#heartbeatTimer) clearInterval(this.#heartbeatTimer);
    this.#heartbeatTimer = null;
  }

  #onClose(): void {
    // Frames for the old connection: the register and unacked results are sent again on the next.
    this.#out.clear();
    this.#starting.clear();
    this.#registered = false;
    this.#registerId = null;
    this.#stopHeartbeats();
    this.#options.log.warn('disconnected from main node', { holding_results: this.#unacked.size });
  }
}
