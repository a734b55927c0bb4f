/**
 * A client for the TCP management messages of a main node (DESIGN §3): one persistent NDJSON
 * connection, requests matched to replies by message_id. A dropped connection fails the requests in
 * flight (a task_submit may or may not have been applied, so nothing is re-sent blindly) and the next
 * request dials again.
 */
import type { Socket } from 'node:net';
import { dialMain } from '../../main/tls/dialPinned.ts';
import { createMessage } from '../../protocol/envelope.ts';
import { ClusterError, ErrorCode } from '../../protocol/errorCodes.ts';
import { encodeFrame, FrameDecoder } from '../../protocol/framer.ts';
import { parseMessage } from '../../protocol/parse.ts';
import { DEFAULT_MAX_FRAME_BYTES } from '../../protocol/version.ts';

export type ManagementType =
  'status' | 'list_devices' | 'device_info' | 'task_submit' | 'task_status' | 'task_cancel';

export interface ManagementClientOptions {
  host: string;
  port: number;
  /** The main node's API token, sent as data.auth.api_token; null when it runs with --no-auth. */
  apiToken: string | null;
  /** The main node's certificate fingerprint (TLS, pinned); null for a main node with --no-tls. */
  fingerprint: string | null;
  senderId?: string;
  /** Where the token came from, for the message when the main node refuses it. */
  tokenSource?: string;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  maxFrameBytes?: number;
  /** Connection news for the operator (the standalone server prints it). */
  onStateChange?: (state: 'connected' | 'disconnected', detail: string) => void;
}

/** An error that is about reaching the main node, not about the request: a gateway status fits. */
export class UpstreamError extends ClusterError {
  override name = 'UpstreamError';
  readonly httpStatus: 502 | 503 | 504;
  constructor(code: ErrorCode, message: string, httpStatus: 502 | 503 | 504, options?: { cause?: unknown }) {
    super(code, message, options);
    this.httpStatus = httpStatus;
  }
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class ManagementClient {
  readonly address: string;
  #options: ManagementClientOptions;
  #socket: Socket | null = null;
  #connecting: Promise<Socket> | null = null;
  #pending = new Map<string, Pending>();
  #closed = false;

  constructor(options: ManagementClientOptions) {
    this.#options = options;
    this.address = `${options.host}:${options.port}`;
  }

  get connected(): boolean {
    return this.#socket !== null;
  }

  /** Sends one management message and resolves with the ack's result, or rejects with the error's code. */
  async request<T>(type: ManagementType, data: Record<string, unknown> = {}): Promise<T> {
    const socket = await this.#connect();
    if (socket.destroyed)
      throw new UpstreamError(ErrorCode.Unavailable, `lost the main node at ${this.address}`, 503);
    const body =
      this.#options.apiToken === null ? data : { ...data, auth: { api_token: this.#options.apiToken } };
    const message = createMessage(type, this.#options.senderId ?? 'retire-cluster-api', body);
    const timeoutMs = this.#options.requestTimeoutMs ?? 30_000;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(message.message_id);
        reject(
          new UpstreamError(
            ErrorCode.Unavailable,
            `the main node at ${this.address} did not answer ${type} within ${timeoutMs} ms`,
            504,
          ),
        );
      }, timeoutMs);
      this.#pending.set(message.message_id, { resolve: resolve as (r: unknown) => void, reject, timer });
      socket.write(encodeFrame(message));
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#failAll(new UpstreamError(ErrorCode.Unavailable, 'the API server is shutting down', 503));
    const socket = this.#socket;
    this.#socket = null;
    if (socket && !socket.destroyed)
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.destroy();
      });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #connect(): Promise<Socket> {
    if (this.#closed)
      return Promise.reject(new UpstreamError(ErrorCode.Unavailable, 'the client is closed', 503));
    if (this.#socket) return Promise.resolve(this.#socket);
    this.#connecting ??= this.#dial().finally(() => {
      this.#connecting = null;
    });
    return this.#connecting;
  }

  #dial(): Promise<Socket> {
    const { host, port } = this.#options;
    const timeoutMs = this.#options.connectTimeoutMs ?? 5000;
    return new Promise<Socket>((resolve, reject) => {
      let settled = false;
      const fail = (error: Error & { code?: string }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(
          new UpstreamError(
            ErrorCode.Unavailable,
            `cannot reach the main node at ${this.address} (${error.code ?? error.message})`,
            503,
            { cause: error },
          ),
        );
      };
      const timer = setTimeout(
        () => fail(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })),
        timeoutMs,
      );
      dialMain(host, port, this.#options.fingerprint).then((socket) => {
        if (settled) {
          socket.destroy();
          return;
        }
        settled = true;
        clearTimeout(timer);
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 30_000);
        this.#attach(socket);
        resolve(socket);
      }, fail);
    });
  }

  #attach(socket: Socket): void {
    this.#socket = socket;
    const decoder = new FrameDecoder(this.#options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
    let reason = 'the main node closed the connection';
    socket.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        if (event.kind === 'too_large') {
          reason = `a reply of ${event.bytes} bytes exceeds the frame limit`;
          socket.destroy();
          return;
        }
        this.#onLine(event.line);
      }
    });
    socket.on('error', (error: Error & { code?: string }) => {
      reason = `connection error: ${error.code ?? error.message}`;
    });
    socket.on('close', () => {
      if (this.#socket === socket) this.#socket = null;
      this.#failAll(
        new UpstreamError(ErrorCode.Unavailable, `lost the main node at ${this.address}: ${reason}`, 503),
      );
      if (!this.#closed) this.#options.onStateChange?.('disconnected', reason);
    });
    this.#options.onStateChange?.('connected', this.address);
  }

  #onLine(line: string): void {
    const parsed = parseMessage(line);
    if (!parsed.ok) return; // Nothing to match it to; the request it belonged to times out.
    const message = parsed.message;
    if (message.message_type !== 'ack' && message.message_type !== 'error') return;
    const id = message.data.original_message_id;
    const pending = id === null ? undefined : this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id!);
    clearTimeout(pending.timer);
    if (message.message_type === 'ack') pending.resolve(message.data.result);
    else pending.reject(this.#replyError(message.data.code, message.data.error, message.data.details));
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }

  /** The main node's error reply as a ClusterError; its refusal of our own token is a gateway problem. */
  #replyError(code: string, text: string, details: unknown): ClusterError {
    if (code === ErrorCode.Unauthorized) {
      const source = this.#options.tokenSource ?? '--cluster-token / RC_CLUSTER_API_TOKEN';
      return new UpstreamError(
        ErrorCode.Unauthorized,
        `the main node at ${this.address} refused the API token (${source}): ${text}`,
        502,
      );
    }
    return new ClusterError(code as ErrorCode, text, { details });
  }
}
