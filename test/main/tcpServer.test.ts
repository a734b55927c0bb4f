import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect as connectTls } from 'node:tls';
import { AddressLimiter } from '../../src/main/addressLimiter.ts';
import type { LegacyContext } from '../../src/main/legacy.ts';
import { createLogger } from '../../src/main/logger.ts';
import type { SessionContext } from '../../src/main/session.ts';
import { TcpServer } from '../../src/main/tcpServer.ts';
import { createSelfSignedCert } from '../../src/main/tls/selfSignedCert.ts';
import { createWorkerPortContext } from '../../src/main/tls/workerPortContext.ts';

const HOST = '127.0.0.1';
const HANDSHAKE_TIMEOUT_MS = 300;

/** Resolves with how long the server took to close the connection. */
async function closedAfter(socket: Socket): Promise<number> {
  const started = performance.now();
  socket.on('error', () => {});
  await once(socket, 'close');
  return performance.now() - started;
}

test('with TLS, a connection that sends nothing or stalls in its handshake is dropped and frees its address', async () => {
  const { keyPem, certPem } = createSelfSignedCert('retire-cluster test');
  // One connection per address: a slot not given back would refuse the next connection.
  const limiter = new AddressLimiter(1, 0);
  const server = new TcpServer({
    host: HOST,
    port: 0,
    maxFrameBytes: 1 << 20,
    // Nothing here gets as far as a message: these connections never say anything.
    legacy: {} as LegacyContext,
    session: {
      serverId: 'main',
      authTimeoutMs: 60_000,
      tlsRequired: true,
      logger: createLogger({ silent: true }),
    } as unknown as SessionContext,
    tls: createWorkerPortContext({ key: keyPem, cert: certPem }),
    limiter,
    handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
  });
  const port = await server.start();
  try {
    const silent = connect({ host: HOST, port });
    assert.ok((await closedAfter(silent)) >= HANDSHAKE_TIMEOUT_MS - 50);

    // The start of a TLS record, then nothing: the handshake never finishes.
    const stalled = connect({ host: HOST, port });
    stalled.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00]));
    assert.ok((await closedAfter(stalled)) >= HANDSHAKE_TIMEOUT_MS - 50);

    // Both gave their slot back, and a finished handshake outlives the handshake timeout.
    const worker = connectTls({ host: HOST, port, rejectUnauthorized: false });
    await once(worker, 'secureConnect');
    let closed = false;
    worker.on('close', () => (closed = true));
    await sleep(HANDSHAKE_TIMEOUT_MS * 3);
    assert.equal(closed, false, 'a connection past its handshake is left to the session');
    worker.destroy();
  } finally {
    await server.close();
  }
});
