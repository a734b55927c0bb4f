/**
 * The workers' port: accepts connections and gives each a session (or a legacy one-shot reply).
 * TLS and plain TCP share the port: the first byte tells them apart (a TLS handshake starts with
 * 0x16, a JSON message with `{`), so the original Python clients still work beside TLS workers.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { type SecureContext, TLSSocket } from 'node:tls';
import type { AddressLimiter } from './addressLimiter.ts';
import { Connection, type ConnectionOptions } from './connection.ts';
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
  /**
   * With TLS: how long a connection may take to send its first byte and finish its handshake
   * (10 s). The session's authentication timer covers what comes after.
   */
  handshakeTimeoutMs?: number;
}

const TLS_HANDSHAKE = 0x16;
const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * A listener that needs nothing but its emitter (`this`): one function for every connection instead
 * of a closure per socket kept alive as long as the socket.
 */
function destroyEmitter(this: Socket): void {
  this.destroy();
}

export class TcpServer {
  #server: Server;
  #options: TcpServerOptions;
  #sessions = new Set<Session>();
  /** Shared by every connection of a kind (they differ only in `secure`). */
  #connectionOptions: { plain: ConnectionOptions; secure: ConnectionOptions };

  constructor(options: TcpServerOptions) {
    this.#options = options;
    const common = {
      serverId: options.session.serverId,
      maxFrameBytes: options.maxFrameBytes,
      legacyGraceMs: 150,
    };
    this.#connectionOptions = {
      plain: Object.freeze({ ...common, secure: false }),
      secure: Object.freeze({ ...common, secure: true }),
    };
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
      this.#serve(socket, address, false);
      return;
    }
    // A connection that sends nothing, or never finishes its handshake, is dropped.
    socket.setTimeout(this.#options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS, destroyEmitter);
    socket.on('error', destroyEmitter);
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      if (first[0] !== TLS_HANDSHAKE) {
        socket.setTimeout(0, destroyEmitter);
        this.#serve(socket, address, false);
        socket.resume();
        return;
      }
      const secure = new TLSSocket(socket, { isServer: true, secureContext: tls });
      secure.on('error', destroyEmitter);
      secure.once('secure', () => socket.setTimeout(0, destroyEmitter));
      this.#serve(secure, address, true);
    });
  }

  #serve(socket: Socket, address: string, secure: boolean): void {
    let session: Session | null = null;
    const connection = new Connection(
      socket,
      secure ? this.#connectionOptions.secure : this.#connectionOptions.plain,
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
      address,
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
