/**
 * A bench-side peer speaking the main node's wire protocol (NDJSON envelopes over TCP or TLS): the
 * management client that submits tasks, the simulated devices, the raw device of the recovery
 * benchmark. Deliberately independent of src/worker, so it measures the main node, not our worker.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';

export interface Envelope {
  message_type: string;
  sender_id: string;
  receiver_id: string | null;
  message_id: string;
  timestamp: string;
  data: any;
}

export interface WireOptions {
  port: number;
  tls: boolean;
  host?: string;
  senderId?: string;
  onMessage?: (message: Envelope) => void;
  onClose?: () => void;
}

let nextId = 0;

export class WireClient {
  readonly socket: Socket;
  readonly senderId: string;
  #pending = new Map<string, { resolve: (m: Envelope) => void; reject: (e: Error) => void }>();
  #lines = new LineReader();
  #onMessage: ((message: Envelope) => void) | undefined;
  closed = false;

  private constructor(socket: Socket, options: WireOptions) {
    this.socket = socket;
    this.senderId = options.senderId ?? 'bench';
    this.#onMessage = options.onMessage;
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.#onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      for (const { reject } of this.#pending.values()) reject(new Error('connection closed'));
      this.#pending.clear();
      options.onClose?.();
    });
  }

  static connect(options: WireOptions): Promise<WireClient> {
    const host = options.host ?? '127.0.0.1';
    // The bench trusts its own main node: the fingerprint check is the worker's business.
    const socket = options.tls
      ? connectTls({ host, port: options.port, rejectUnauthorized: false })
      : connectTcp({ host, port: options.port });
    return new Promise((resolve, reject) => {
      socket.once(options.tls ? 'secureConnect' : 'connect', () => {
        socket.off('error', reject);
        resolve(new WireClient(socket, options));
      });
      socket.once('error', reject);
    });
  }

  set onMessage(handler: (message: Envelope) => void) {
    this.#onMessage = handler;
  }

  /** Sends one message; returns its id. */
  send(type: string, data: unknown, messageId = `b${++nextId}`): string {
    this.socket.write(encode(type, this.senderId, messageId, data));
    return messageId;
  }

  /** Sends one message and resolves with the main node's ack (rejects on an `error` reply). */
  request(type: string, data: unknown): Promise<Envelope> {
    const id = `b${++nextId}`;
    const reply = new Promise<Envelope>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.send(type, data, id);
    return reply;
  }

  close(): void {
    this.socket.destroy();
  }

  #onData(chunk: string): void {
    this.#lines.push(chunk, (line) => this.#dispatch(JSON.parse(line) as Envelope));
  }

  #dispatch(message: Envelope): void {
    const original = message.data?.original_message_id as string | undefined;
    const waiter = original === undefined ? undefined : this.#pending.get(original);
    if (waiter && (message.message_type === 'ack' || message.message_type === 'error')) {
      this.#pending.delete(original!);
      if (message.message_type === 'ack') waiter.resolve(message);
      else waiter.reject(new Error(`${message.data.code}: ${message.data.error}`));
      return;
    }
    this.#onMessage?.(message);
  }
}

/** NDJSON lines out of text chunks; the unterminated rest waits for the next chunk. */
export class LineReader {
  #buffer = '';

  push(chunk: string, onLine: (line: string) => void): void {
    const text = this.#buffer + chunk;
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      const line = text.slice(start, nl);
      start = nl + 1;
      if (line.length > 0) onLine(line);
    }
    this.#buffer = start === 0 ? text : text.slice(start);
  }
}

export function encode(type: string, senderId: string, messageId: string, data: unknown): string {
  return (
    JSON.stringify({
      message_type: type,
      sender_id: senderId,
      receiver_id: null,
      message_id: messageId,
      timestamp: new Date().toISOString(),
      data,
    }) + '\n'
  );
}
