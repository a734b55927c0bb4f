/**
 * One connection's conversation with the main node. A connection becomes a worker session when it
 * registers; management clients (a standalone API server, scripts) authenticate with the API token
 * instead. Every acknowledgement is sent only after the change it acknowledges is durable.
 */
import type { z } from 'zod';
import { createAck, createError, createMessage, type Envelope } from '../protocol/envelope.ts';
import { ClusterError, ErrorCode } from '../protocol/errorCodes.ts';
import { FrameBatcher } from '../protocol/framer.ts';
import type { Message, RegisterResult, TaskRef, TaskSpec } from '../protocol/messages.ts';
import { SUPPORTED_PROTOCOL_VERSIONS } from '../protocol/version.ts';
import type { AddressLimiter } from './addressLimiter.ts';
import type { Connection } from './connection.ts';
import { authenticateDevice } from './deviceAuth.ts';
import type { Logger } from './logger.ts';
import { handleManagement, isManagementMessage } from './management.ts';
import {
  describeIssues,
  heartbeatDataSchema,
  registerDataSchema,
  taskProgressDataSchema,
  taskResultDataSchema,
} from './schemas.ts';
import type { ClusterSecrets } from './secrets.ts';
import { secretsEqual } from './secrets.ts';
import type { ClusterService } from './service.ts';

export interface SessionContext {
  serverId: string;
  service: ClusterService;
  secrets: ClusterSecrets;
  auth: boolean;
  heartbeatInterval: number;
  heartbeatTimeout: number;
  /** Worker sessions by device id, for delivering assignments and cancellations. */
  workers: Map<string, Session>;
  logger: Logger;
  /** Plain connections may only send legacy one-shot messages. */
  tlsRequired: boolean;
  /** How long a connection may stay without registering or authenticating. */
  authTimeoutMs: number;
  limiter: AddressLimiter;
  /** Bytes of one result's data; a larger one is stored as an error note instead. */
  maxResultBytes: number;
}

export class Session {
  readonly connection: Connection;
  #ctx: SessionContext;
  #deviceId: string | null = null;
  #managementAuthorized = false;
  #authTimer: NodeJS.Timeout;
  /** task_assign message id -> the assignment it carried, until the worker answers. */
  #assigns = new Map<string, TaskRef>();
  /**
   * task id -> its latest assignment here and that message's id: a status or result answers it too.
   * Keyed by id alone (no key string built per task); an older attempt of the same task is over by
   * the time a newer one is assigned.
   */
  #assignIds = new Map<string, { attempt: number; messageId: string }>();
  /** Everything sent during one turn (assignments, acks of a whole read) leaves in one write. */
  #out = new FrameBatcher((frames) => this.connection.send(frames));

  constructor(connection: Connection, ctx: SessionContext) {
    this.connection = connection;
    this.#ctx = ctx;
    // A connection that never says who it is (slow-loris, port scanners) does not keep its socket.
    this.#authTimer = setTimeout(() => {
      connection.send(
        createError(
          ctx.serverId,
          null,
          ErrorCode.AuthTimeout,
          `no register or authenticated message within ${ctx.authTimeoutMs} ms`,
        ),
      );
      connection.close();
    }, ctx.authTimeoutMs);
    this.#authTimer.unref();
  }

  #authenticated(): void {
    clearTimeout(this.#authTimer);
  }

  get deviceId(): string | null {
    return this.#deviceId;
  }

  handle(message: Message): void {
    if (this.#ctx.tlsRequired && !this.connection.options.secure) {
      this.connection.send(
        createError(
          this.#ctx.serverId,
          message,
          ErrorCode.TlsRequired,
          'this main node only accepts TLS connections: use the whole join token from its join.token (it carries the certificate fingerprint)',
        ),
      );
      this.connection.close();
      return;
    }
    // A third of a busy worker's messages: an ack needs no store and no reply, so no promise either.
    if (message.message_type === 'ack') {
      this.#settleAssign(message.data.original_message_id);
      return;
    }
    this.#dispatch(message).catch((error: unknown) => this.#fail(message, error));
  }

  async #dispatch(message: Message): Promise<void> {
    switch (message.message_type) {
      case 'register':
        return this.#register(message);
      case 'heartbeat':
        return this.#heartbeat(message);
      case 'task_result':
        return this.#taskResult(message);
      case 'ack':
        this.#settleAssign(message.data.original_message_id);
        return;
      case 'error':
        return this.#workerError(message);
      default:
        if (message.message_type === 'task_status' && this.#deviceId !== null)
          return this.#taskProgress(message);
        if (isManagementMessage(message)) return this.#management(message);
        throw new ClusterError(
          ErrorCode.UnsupportedMessage,
          `${message.message_type} is not accepted by the main node`,
        );
    }
  }

  async #register(message: Message): Promise<void> {
    if (!this.#ctx.limiter.register(this.connection.remoteAddress, this.#ctx.service.clock.now())) {
      throw new ClusterError(
        ErrorCode.RateLimitExceeded,
        `too many registrations from ${this.connection.remoteAddress} this minute; try again later`,
      );
    }
    const data = parse(registerDataSchema, message.data);
    if (!SUPPORTED_PROTOCOL_VERSIONS.includes(data.protocol_version)) {
      throw new ClusterError(
        ErrorCode.UnsupportedProtocol,
        `protocol_version ${data.protocol_version} is not supported (supported: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
      );
    }
    if (this.#deviceId !== null && this.#deviceId !== data.device_id) {
      throw new ClusterError(
        ErrorCode.BadMessage,
        `this connection is already registered as ${this.#deviceId}`,
      );
    }
    const { cluster, clock, journal } = this.#ctx.service;
    const credentials = authenticateDevice(cluster, data.device_id, data.auth, this.#ctx.secrets.joinSecret);
    const { auth: _auth, protocol_version: _v, running_tasks, metrics, paused, ...profile } = data;
    // A device that reconnects before its old connection noticed it was gone replaces it.
    const previous = this.#ctx.workers.get(data.device_id);
    if (previous && previous !== this) previous.#detach();
    this.#deviceId = data.device_id;
    this.#ctx.workers.set(data.device_id, this);
    this.#authenticated();
    cluster.register(
      profile,
      credentials.secretHash,
      running_tasks,
      metrics ?? null,
      clock.now(),
      paused?.reason ?? null,
    );
    await journal.commit();
    const result: RegisterResult = {
      success: true,
      device_id: data.device_id,
      heartbeat_interval: this.#ctx.heartbeatInterval,
      heartbeat_timeout: this.#ctx.heartbeatTimeout,
    };
    if (credentials.issuedSecret) result.device_secret = credentials.issuedSecret;
    this.#log().info(
      { device_id: data.device_id, platform: profile.platform, role: profile.role },
      'device registered',
    );
    this.#out.push(createAck(this.#ctx.serverId, message, result));
  }

  async #heartbeat(message: Message): Promise<void> {
    const deviceId = this.#requireDevice();
    const data = parse(heartbeatDataSchema, message.data);
    const paused = data.paused?.reason ?? null;
    this.#ctx.service.cluster.heartbeat(deviceId, data.metrics, this.#ctx.service.clock.now(), paused);
    await this.#ctx.service.journal.commit();
    this.#out.push(createAck(this.#ctx.serverId, message, { success: true }));
  }

  async #taskProgress(message: Message): Promise<void> {
    const deviceId = this.#requireDevice();
    const data = parse(taskProgressDataSchema, message.data);
    this.#answered(data);
    this.#ctx.service.cluster.taskStarted(deviceId, data, this.#ctx.service.clock.now());
    await this.#ctx.service.journal.commit();
    this.#out.push(createAck(this.#ctx.serverId, message));
  }

  async #taskResult(message: Message): Promise<void> {
    const deviceId = this.#requireDevice();
    const data = parse(taskResultDataSchema, message.data);
    this.#answered(data);
    this.#capResult(data);
    const outcome = this.#ctx.service.cluster.taskResult(deviceId, data, this.#ctx.service.clock.now());
    if (outcome === 'fenced') {
      this.#log().info(
        { device_id: deviceId, task_id: data.task_id, attempt: data.attempt },
        'stale result ignored',
      );
    }
    await this.#ctx.service.journal.commit();
    // Acked even when fenced: the worker must stop re-sending it either way.
    this.#out.push(createAck(this.#ctx.serverId, message, { outcome }));
  }

  #workerError(
    message: Envelope<'error', { original_message_id: string | null; code: string; error: string }>,
  ): void {
    const ref = message.data.original_message_id
      ? this.#assigns.get(message.data.original_message_id)
      : undefined;
    if (!ref || this.#deviceId === null) {
      this.#log().warn({ device_id: this.#deviceId, error: message.data }, 'error from peer');
      return;
    }
    this.#settleAssign(message.data.original_message_id!);
    this.#ctx.service.cluster.taskRejected(
      this.#deviceId,
      ref,
      message.data.error,
      this.#ctx.service.clock.now(),
    );
    this.#ctx.service.journal.commit().catch(() => {});
  }

  async #management(message: Message): Promise<void> {
    const token = (message.data as { auth?: { api_token?: unknown } }).auth?.api_token;
    if (typeof token === 'string' && secretsEqual(token, this.#ctx.secrets.apiToken))
      this.#managementAuthorized = true;
    if (this.#managementAuthorized || !this.#ctx.auth) this.#authenticated();
    if (this.#ctx.auth && !this.#managementAuthorized) {
      throw new ClusterError(ErrorCode.Unauthorized, 'management messages need data.auth.api_token');
    }
    const result = await handleManagement(this.#ctx.service, message);
    this.#out.push(createAck(this.#ctx.serverId, message, result));
  }

  /** An oversized result is not stored; the task keeps its outcome and says why its data is missing. */
  #capResult(data: { result_data?: unknown; error?: string }): void {
    if (data.result_data === undefined) return;
    const bytes = Buffer.byteLength(JSON.stringify(data.result_data));
    if (bytes <= this.#ctx.maxResultBytes) return;
    data.result_data = { truncated: true, bytes };
    data.error = `the result was ${bytes} bytes; this main node stores at most ${this.#ctx.maxResultBytes}`;
  }

  assign(task: TaskSpec): void {
    const message = createMessage('task_assign', this.#ctx.serverId, { task }, this.#deviceId);
    const older = this.#assignIds.get(task.task_id);
    if (older !== undefined) this.#assigns.delete(older.messageId);
    this.#assigns.set(message.message_id, { task_id: task.task_id, attempt: task.attempt });
    this.#assignIds.set(task.task_id, { attempt: task.attempt, messageId: message.message_id });
    this.#out.push(message);
  }

  #settleAssign(messageId: string): void {
    const ref = this.#assigns.get(messageId);
    if (ref === undefined) return;
    this.#assigns.delete(messageId);
    if (this.#assignIds.get(ref.task_id)?.messageId === messageId) this.#assignIds.delete(ref.task_id);
  }

  /** A worker may answer an assignment with the task's status or result instead of an ack. */
  #answered(ref: TaskRef): void {
    const latest = this.#assignIds.get(ref.task_id);
    if (latest !== undefined && latest.attempt === ref.attempt) this.#settleAssign(latest.messageId);
  }

  cancel(ref: TaskRef): void {
    this.#out.push(createMessage('task_cancel', this.#ctx.serverId, ref, this.#deviceId));
  }

  close(reason: string): void {
    this.#log().info({ device_id: this.#deviceId, reason }, 'closing connection');
    this.#out.flush();
    this.connection.close();
  }

  /** The connection is gone (or replaced): the device counts as disconnected from now. */
  onClose(): void {
    clearTimeout(this.#authTimer);
    if (this.#deviceId === null || this.#ctx.workers.get(this.#deviceId) !== this) return;
    this.#ctx.workers.delete(this.#deviceId);
    this.#ctx.service.cluster.disconnect(this.#deviceId, this.#ctx.service.clock.now());
    this.#ctx.service.journal.commit().catch(() => {});
  }

  #detach(): void {
    if (this.#deviceId !== null) this.#ctx.workers.delete(this.#deviceId);
    this.#deviceId = null;
    this.#out.flush();
    this.connection.close();
  }

  #requireDevice(): string {
    if (this.#deviceId === null) throw new ClusterError(ErrorCode.NotRegistered, 'register first');
    return this.#deviceId;
  }

  #fail(message: Message, error: unknown): void {
    const known = error instanceof ClusterError;
    const code = known ? error.code : ErrorCode.Internal;
    const text = known ? error.message : 'internal error';
    if (!known)
      this.#log().error({ err: error, message_type: message.message_type }, 'message handling failed');
    this.#out.push(createError(this.#ctx.serverId, message, code, text, known ? error.details : undefined));
    if (
      code === ErrorCode.Unauthorized ||
      code === ErrorCode.RateLimitExceeded ||
      code === ErrorCode.DeviceIdTaken ||
      code === ErrorCode.UnsupportedProtocol
    ) {
      this.#out.flush();
      this.connection.close();
    }
  }

  #log(): Logger {
    return this.#ctx.logger;
  }
}

function parse<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new ClusterError(ErrorCode.BadMessage, `invalid data: ${describeIssues(parsed.error)}`, {
      details: parsed.error.issues,
    });
  }
  return parsed.data;
}
