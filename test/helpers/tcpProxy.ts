/**
 * A TCP proxy between a worker and the main node that can cut the link without a FIN or RST, the
 * way a pulled cable or a dead Wi-Fi does: `cut()` stops moving bytes both ways (reads pause, so
 * what is sent stays in the kernel buffers as in-flight packets would) and new connections are held
 * unanswered; `heal()` moves everything again, in order, so TCP semantics survive the partition.
 * TLS passes through untouched.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

interface Pair {
  client: Socket;
  upstream: Socket | null;
}

export class TcpProxy {
  readonly port: number;
  #server: Server;
  #targetPort: number;
  #cut = false;
  #pairs = new Set<Pair>();
  /** Accepted while cut: their upstream is dialed only when the link heals. */
  #held: Pair[] = [];

  private constructor(server: Server, port: number, targetPort: number) {
    this.#server = server;
    this.port = port;
    this.#targetPort = targetPort;
    server.on('connection', (client) => this.#accept(client));
  }

  static async start(targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new TcpProxy(server, (server.address() as { port: number }).port, targetPort);
  }

  get isCut(): boolean {
    return this.#cut;
  }

  /** Connections currently carried (or held). */
  get connections(): number {
    return this.#pairs.size;
  }

  /** Connections accepted while cut, waiting for the link to heal. */
  get held(): number {
    return this.#held.filter((pair) => !pair.client.destroyed).length;
  }

  cut(): void {
    this.#cut = true;
    for (const pair of this.#pairs) {
      pair.client.pause();
      pair.upstream?.pause();
    }
  }

  heal(): void {
    this.#cut = false;
    for (const pair of this.#held.splice(0)) this.#dial(pair);
    for (const pair of this.#pairs) {
      pair.client.resume();
      pair.upstream?.resume();
    }
  }

  #accept(client: Socket): void {
    const pair: Pair = { client, upstream: null };
    this.#pairs.add(pair);
    client.on('error', () => {});
    client.on('close', () => {
      this.#pairs.delete(pair);
      pair.upstream?.destroy();
    });
    if (this.#cut) {
      client.pause();
      this.#held.push(pair);
    } else {
      this.#dial(pair);
    }
  }

  #dial(pair: Pair): void {
    const { client } = pair;
    if (client.destroyed) return;
    const upstream = connect({ host: '127.0.0.1', port: this.#targetPort });
    pair.upstream = upstream;
    upstream.on('error', () => {});
    upstream.on('close', () => client.destroy());
    upstream.on('end', () => client.end());
    client.on('end', () => upstream.end());
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    client.resume();
  }

  async close(): Promise<void> {
    for (const pair of this.#pairs) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
