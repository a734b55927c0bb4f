import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';

export interface HttpServer {
  port: number;
  close(): Promise<void>;
}

/** Slow clients may not hold a socket forever: headers within 10 s, the whole request within 60 s. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 60_000;

export async function startHttpServer(
  app: Hono,
  host: string,
  port: number,
  tls: { key: string; cert: string } | null = null,
): Promise<HttpServer> {
  const server: ServerType = await new Promise((resolve, reject) => {
    const options = tls
      ? {
          fetch: app.fetch,
          hostname: host,
          port,
          createServer: createHttpsServer,
          serverOptions: { key: tls.key, cert: tls.cert },
        }
      : { fetch: app.fetch, hostname: host, port };
    const s = serve(options, () => resolve(s));
    s.once('error', reject);
  });
  if ('headersTimeout' in server) {
    server.headersTimeout = HEADERS_TIMEOUT_MS;
    server.requestTimeout = REQUEST_TIMEOUT_MS;
  }
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
