import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { test } from 'node:test';
import { connect, createSecureContext, type SecureContext, TLSSocket } from 'node:tls';
import { createSelfSignedCert } from '../../src/main/tls/selfSignedCert.ts';
import { createWorkerPortContext } from '../../src/main/tls/workerPortContext.ts';

interface Dialled {
  protocol: string | null;
  group: string | undefined;
  reused: boolean;
  session: Buffer | undefined;
}

/** One TLS connection to `port` (offering `session` to resume), kept until the server's tickets came. */
async function dial(port: number, session?: Buffer): Promise<Dialled> {
  const socket: TLSSocket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, session });
  let latest: Buffer | undefined;
  socket.on('session', (s: Buffer) => (latest = s));
  await once(socket, 'secureConnect');
  const dialled = {
    protocol: socket.getProtocol(),
    group: (socket.getEphemeralKeyInfo() as { name?: string } | null)?.name,
    reused: socket.isSessionReused(),
  };
  // TLS 1.3 tickets come after the handshake: read until the server closes.
  socket.resume();
  await once(socket, 'close');
  return { ...dialled, session: latest };
}

async function withServer<T>(context: SecureContext, run: (port: number) => Promise<T>): Promise<T> {
  // As the workers' port serves TLS: a plain listener whose sockets are wrapped with the context.
  const server = createServer((raw) => {
    const socket = new TLSSocket(raw, { isServer: true, secureContext: context });
    socket.on('error', () => socket.destroy());
    socket.once('secure', () => setTimeout(() => socket.end(), 50));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    return await run((server.address() as AddressInfo).port);
  } finally {
    server.close();
  }
}

test("the workers' port context keeps Node's TLS defaults but issues nothing a client could resume", async () => {
  const { keyPem, certPem } = createSelfSignedCert('retire-cluster test');
  const material = { key: keyPem, cert: certPem };

  // Node's default context, for comparison: TLS 1.3, and a second connection resumes the first.
  const defaults = await withServer(createSecureContext(material), async (port) => {
    const first = await dial(port);
    assert.ok(first.session, 'the default context issues a session ticket');
    return { first, second: await dial(port, first.session) };
  });
  assert.equal(defaults.second.reused, true);

  const ours = await withServer(createWorkerPortContext(material), async (port) => {
    const first = await dial(port);
    // Whatever the client kept from the first connection, the second is a full handshake again.
    return { first, second: await dial(port, first.session) };
  });
  assert.equal(ours.first.protocol, 'TLSv1.3');
  assert.equal(ours.first.protocol, defaults.first.protocol);
  // The same key exchange as Node's default (the post-quantum hybrid on Node 24), not a weaker one.
  assert.equal(ours.first.group, defaults.first.group);
  assert.equal(ours.second.reused, false);
});
