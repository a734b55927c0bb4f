/**
 * The worker's one persistent connection to the main node: dials out (NAT-friendly), frames NDJSON,
 * and redials forever with exponential backoff and jitter. Protocol logic lives in the agent.
 */
import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { encodeFrame, FrameDecoder } from '../protocol/framer.ts';
import type { Message } from '../protocol/messages.ts';
import { parseMessage } from '../protocol/parse.ts';
import { DEFAULT_MAX_FRAME_BYTES } from '../protocol/version.ts';
import type { WorkerLog } from './log.ts';

export interface MainLinkOptions {
  host: string;
  port: number;
  log: WorkerLog;
  onOpen(): void;
  onMessage(message: Message): void;
  onClose(): void;
  /**
   * The main node's certificate fingerprint (base64url SHA-256). Set: the link is TLS and talks only
   * to a main node presenting exactly that certificate; nothing is sent before it is checked.
   */
  fingerprint: string | null;
  /** The peer is not the main node the token names: redialing cannot fix that. */
  onImpostor(message: string): void;
  minDelayMs?: number;
  maxDelayMs?: number;
}

export class MainLink {
  #options: MainLinkOptions;
  #socket: Socket | null = null;
  #open = false;
  #stopped = false;
  #failures = 0;
  #retryTimer: NodeJS.Timeout | null = null;

  constructor(options: MainLinkOptions) {
    this.#options = options;
  }

  get connected(): boolean {
    return this.#open;
  }

  start(): void {
    this.#stopped = false;
    this.#dial();
  }

  send(message: unknown): boolean {
    if (!this.#open || !this.#socket) return false;
    this.#socket.write(encodeFrame(message));
    return true;
  }

  /** The session is healthy again: the next outage starts its backoff from the beginning. */
  resetBackoff(): void {
    this.#failures = 0;
  }

  /** Drops the connection (e.g. the main node went silent); the link redials. */
  drop(reason: string): void {
    this.#options.log.warn('dropping connection', { reason });
    this.#socket?.destroy();
  }

  stop(): Promise<void> {
    this.#stopped = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    const socket = this.#socket;
    if (!socket || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    });
  }

  #dial(): void {
    const { host, port, log } = this.#options;
    const decoder = new FrameDecoder(DEFAULT_MAX_FRAME_BYTES);
    const { fingerprint } = this.#options;
    // Names and CAs are not checked: the pinned fingerprint is stronger than either on a home LAN.
    const socket: Socket = fingerprint
      ? connectTls({ host, port, rejectUnauthorized: false, servername: isIp(host) ? undefined : host })
      : connect({ host, port });
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 15_000);
    socket.on(fingerprint ? 'secureConnect' : 'connect', () => {
      if (fingerprint) {
        const seen = peerFingerprint(socket as TLSSocket);
        if (seen !== fingerprint) {
          this.#stopped = true;
          socket.destroy();
          this.#options.onImpostor(
            `the server at ${host}:${port} presented a certificate (${seen ?? 'none'}) that does not match the join token (${fingerprint}); not sending any secret`,
          );
          return;
        }
      }
      this.#open = true;
      log.info('connected to main node', { host, port, tls: Boolean(fingerprint) });
      this.#options.onOpen();
    });
    socket.on('data', (chunk: Buffer) => {
      for (const event of decoder.push(chunk)) {
        if (event.kind === 'too_large') {
          this.drop(`frame from main node exceeds ${decoder.maxFrameBytes} bytes`);
          return;
        }
        const parsed = parseMessage(event.line);
        if (parsed.ok) this.#options.onMessage(parsed.message);
        else log.warn('bad message from main node', { error: parsed.error });
      }
    });
    socket.on('error', (error) => log.debug('connection error', { error: error.message }));
    socket.on('close', () => {
      const wasOpen = this.#open;
      this.#open = false;
      this.#socket = null;
      if (wasOpen) this.#options.onClose();
      if (!this.#stopped) this.#scheduleRedial();
    });
  }

  #scheduleRedial(): void {
    const min = this.#options.minDelayMs ?? 500;
    const max = this.#options.maxDelayMs ?? 30_000;
    const base = Math.min(max, min * 2 ** Math.min(this.#failures, 20));
    const delay = Math.round(base * (0.5 + Math.random()));
    this.#failures++;
    this.#options.log.info('reconnecting', { in_ms: delay, attempt: this.#failures });
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (!this.#stopped) this.#dial();
    }, delay);
  }
}

function peerFingerprint(socket: TLSSocket): string | null {
  const raw = socket.getPeerCertificate()?.raw;
  return raw ? createHash('sha256').update(raw).digest('base64url') : null;
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
