/**
 * One TCP (or TLS) connection speaking NDJSON. Framing and envelope errors are answered here with a
 * clear `error` and never reach the session; an oversized frame also closes the connection.
 *
 * Legacy one-shot clients (the original Python workers) send one JSON object without a newline and
 * wait for a reply; when nothing was framed yet and the unterminated bytes parse as a whole object
 * after a short grace, the connection is handed to `onLegacy` instead.
 */
import type { Socket } from 'node:net';
import { createError } from '../protocol/envelope.ts';
import { ErrorCode } from '../protocol/errorCodes.ts';
import { encodeFrame, FrameDecoder } from '../protocol/framer.ts';
import type { Message } from '../protocol/messages.ts';
import { parseMessage } from '../protocol/parse.ts';

export interface ConnectionOptions {
  serverId: string;
  maxFrameBytes: number;
  /** How long an unterminated first message may wait before it is taken as a legacy one-shot. */
  legacyGraceMs: number;
  /** Whether the connection is TLS. */
  secure: boolean;
}

export interface ConnectionHandlers {
  onMessage(message: Message): void;
  onLegacy(text: string): void;
  onClose(): void;
}

export class Connection {
  readonly remoteAddress: string;
  readonly options: ConnectionOptions;
  #socket: Socket;
  #decoder: FrameDecoder;
  #handlers: ConnectionHandlers;
  #framed = 0;
  #legacyTimer: NodeJS.Timeout | null = null;
  #closed = false;

  /**
   * `remoteAddress` when the caller already knows it: asking a TLS socket again is another system
   * call (getpeername) per connection.
   */
  constructor(
    socket: Socket,
    options: ConnectionOptions,
    handlers: ConnectionHandlers,
    remoteAddress: string = socket.remoteAddress ?? 'unknown',
  ) {
    this.#socket = socket;
    this.options = options;
    this.#handlers = handlers;
    this.remoteAddress = remoteAddress;
    this.#decoder = new FrameDecoder(options.maxFrameBytes);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', () => this.#onClose());
    socket.on('close', () => this.#onClose());
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(message: unknown): void {
    if (this.#closed) return;
    this.#socket.write(encodeFrame(message));
  }

  /** Legacy replies are one JSON object without a newline, followed by a close. */
  sendLegacyAndClose(message: unknown): void {
    if (this.#closed) return;
    this.#socket.end(JSON.stringify(message));
  }

  close(): void {
    if (this.#closed) return;
    this.#socket.end();
    // A peer that never reads would keep the socket half-open; don't wait for it forever.
    setTimeout(() => this.#socket.destroy(), 2000).unref();
  }

  #onData(chunk: Buffer): void {
    for (const event of this.#decoder.push(chunk)) {
      if (this.#closed) return;
      if (event.kind === 'too_large') {
        this.send(
          createError(
            this.options.serverId,
            null,
            ErrorCode.FrameTooLarge,
            `frame exceeds ${this.options.maxFrameBytes} bytes; closing the connection`,
          ),
        );
        this.close();
        return;
      }
      this.#framed++;
      this.#clearLegacyTimer();
      const parsed = parseMessage(event.line);
      if (parsed.ok) this.#handlers.onMessage(parsed.message);
      else this.send(createError(this.options.serverId, parsed.original, parsed.code, parsed.error));
    }
    if (this.#framed === 0 && this.#decoder.pendingBytes > 0 && this.#legacyTimer === null) {
      this.#legacyTimer = setTimeout(() => this.#checkLegacy(), this.options.legacyGraceMs);
    }
  }

  #checkLegacy(): void {
    this.#legacyTimer = null;
    if (this.#closed || this.#framed > 0) return;
    const text = this.#decoder.pendingText();
    try {
      JSON.parse(text);
    } catch {
      return; // Not a whole object yet: a slow NDJSON client, keep reading.
    }
    this.#handlers.onLegacy(text);
  }

  #clearLegacyTimer(): void {
    if (this.#legacyTimer) clearTimeout(this.#legacyTimer);
    this.#legacyTimer = null;
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearLegacyTimer();
    this.#socket.destroy();
    this.#handlers.onClose();
  }
}
