/**
 * The workers' port: accepts connections and gives each a session (or a legacy one-shot reply).
 * TLS and plain TCP share the port: the first byte tells them apart (a TLS handshake starts with
 * 0x16, a JSON message with `{`), so the original Python clients still work beside TLS workers.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { type SecureContext, TLSSocket } from 'node:tls';
import type { AddressLimiter } from './addressLimiter.ts';
import { Connection } from './connection.ts';
import { handleLegacy, type LegacyContext } from './legacy.ts';
import { Session, type SessionContext } from './session.ts';

export interface TcpServerOptions {
  host: string;
  port: number;
  maxFrameBytes: number;
  legacy: LegacyContext;
  session: SessionContext;
  /** Set: TLS is offered, and plain connections may only send legacy one-shot messages. */
  tls: SecureContext | null;
  limiter: AddressLimiter;
}

const TLS_HANDSHAKE = 0x16;
const HANDSHAKE_TIMEOUT_MS = 10_000;

export class TcpServer {
  #server: Server;
  #options: TcpServerOptions;
  #sessions = new Set<Session>();

  constructor(options: TcpServerOptions) {
    this.#options = options;
    this.#server = createServer((socket) => this.#accept(socket));
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#options.port, this.#options.host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    const address = this.#server.address();
    return typeof address === 'object' && address ? address.port : this.#options.port;
  }

  #accept(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    if (!this.#options.limiter.connect(address)) {
      this.#options.session.logger.warn({ address }, 'too many connections from one address; refused');
      socket.destroy();
      return;
    }
    socket.once('close', () => this.#options.limiter.disconnect(address));
    const tls = this.#options.tls;
    if (!tls) {
      this.#serve(socket, false);
      return;
    }
    socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      if (first[0] !== TLS_HANDSHAKE) {
        socket.setTimeout(0);
        this.#serve(socket, false);
        socket.resume();
        return;
      }
      const secure = new TLSSocket(socket, { isServer: true, secureContext: tls });
      secure.on('error', () => secure.destroy());
      secure.once('secure', () => socket.setTimeout(0));
      this.#serve(secure, true);
    });
  }

  #serve(socket: Socket, secure: boolean): void {
    let session: Session | null = null;
    const connection = new Connection(
      socket,
      {
        serverId: this.#options.session.serverId,
        maxFrameBytes: this.#options.maxFrameBytes,
        legacyGraceMs: 150,
        secure,
      },
      {
        onMessage: (message) => session!.handle(message),
        onLegacy: (text) => {
          handleLegacy(text, this.#options.legacy).then(
            (reply) => connection.sendLegacyAndClose(reply),
            (error: unknown) => {
              this.#options.session.logger.error({ err: error }, 'legacy message failed');
              connection.close();
            },
          );
        },
        onClose: () => {
          session!.onClose();
          this.#sessions.delete(session!);
        },
      },
    );
    session = new Session(connection, this.#options.session);
    this.#sessions.add(session);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const session of this.#sessions) session.connection.close();
    await closed;
  }
}
