/**
 * Slow-loris and garbage clients on both ports while a real worker keeps doing real work: the main
 * node keeps serving the API and the worker, and drops the unauthenticated worker-port connections
 * after the auth timeout.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { dialMain } from '../../src/main/tls/dialPinned.ts';
import { parseJoinToken } from '../../src/protocol/joinToken.ts';
import { Rng } from '../helpers/fuzz.ts';
import { isFinished, MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

const AUTH_TIMEOUT_S = 2;

type Kind =
  'plain-trickle' | 'tls-trickle' | 'handshake-trickle' | 'worker-garbage' | 'http-trickle' | 'http-garbage';

interface Hostile {
  kind: Kind;
  socket: Socket;
  openedAt: number;
  closedAt: number | null;
  received: string;
  /** What it trickles, one byte per tick; empty for garbage that was sent in one go. */
  trickle: Buffer;
  sent: number;
}

function track(kind: Kind, socket: Socket, trickle: Buffer): Hostile {
  const h: Hostile = { kind, socket, openedAt: Date.now(), closedAt: null, received: '', trickle, sent: 0 };
  socket.on('data', (chunk: Buffer) => (h.received += chunk.toString('latin1')));
  socket.on('error', () => {});
  socket.on('close', () => (h.closedAt = Date.now()));
  return h;
}

function plainSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

test('slow-loris and garbage on both ports do not stop the main node serving others', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(
    await MainProcess.start({
      dataDir: join(dir.path, 'main'),
      env: { RC_AUTH_TIMEOUT: String(AUTH_TIMEOUT_S) },
    }),
  );
  procs.add(new WorkerProcess({ main, deviceId: 'steady', stateDir: join(dir.path, 'steady') }));
  await main.waitForDevice('steady');
  const fingerprint = parseJoinToken(main.joinToken).fingerprint;
  const rng = new Rng(0xbad);
  const register = Buffer.from(
    JSON.stringify({
      message_type: 'register',
      sender_id: 'loris',
      message_id: 'r',
      data: { device_id: 'loris' },
    }),
  );
  const httpHead = Buffer.from(`GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(500)}`);
  const hostiles: Hostile[] = [];
  const open = async (n: number, make: () => Promise<Hostile>) => {
    for (let i = 0; i < n; i++) hostiles.push(await make());
  };

  // The worker port: 200 connections that never finish saying anything.
  await open(120, async () => track('plain-trickle', await plainSocket(main.tcpPort), register));
  await open(40, async () =>
    track('tls-trickle', await dialMain('127.0.0.1', main.tcpPort, fingerprint), register),
  );
  await open(40, async () =>
    track('handshake-trickle', await plainSocket(main.tcpPort), Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00])),
  );
  // The HTTP port: 100 requests whose headers come a byte at a time.
  await open(100, async () => track('http-trickle', await plainSocket(main.httpPort), httpHead));
  // Garbage on both: random bytes (some with newlines, some opening like TLS), sent at once.
  for (const [port, kind] of [
    [main.tcpPort, 'worker-garbage'],
    [main.httpPort, 'http-garbage'],
  ] as const) {
    await open(30, async () => {
      const h = track(kind, await plainSocket(port), Buffer.alloc(0));
      const junk = rng.bytes(1 + rng.int(4096));
      if (rng.chance(0.3)) junk[0] = 0x16;
      if (rng.chance(0.5)) junk[rng.int(junk.length)] = 0x0a;
      h.socket.write(junk);
      return h;
    });
  }

  // One byte per connection every 200 ms, for as long as the test runs.
  const ticker = setInterval(() => {
    for (const h of hostiles) {
      if (h.closedAt !== null || h.sent >= h.trickle.length) continue;
      h.socket.write(h.trickle.subarray(h.sent, h.sent + 1));
      h.sent++;
    }
  }, 200);
  try {
    // Meanwhile: the API answers promptly and the worker keeps completing tasks.
    // Past the auth timeout, so the service is measured while the worker-port connections are held
    // and while they are being dropped.
    let slowest = 0;
    let completed = 0;
    const serveUntil = Date.now() + AUTH_TIMEOUT_S * 1000 + 1500;
    for (let i = 0; i < 200 && (i < 15 || Date.now() < serveUntil); i++) {
      const started = Date.now();
      const health = await fetch(`${main.url}/health`, { signal: AbortSignal.timeout(5000) });
      assert.equal(health.status, 200);
      const id = await main.submit({ task_type: 'echo', payload: { i } });
      slowest = Math.max(slowest, Date.now() - started);
      const task = await main.waitForTask(id, isFinished, 10_000);
      assert.equal(task.status, 'success');
      assert.equal(task.assigned_device_id, 'steady');
      completed++;
    }
    assert.ok(slowest < 2000, `the API took ${slowest} ms under attack`);
    // The slow HTTP clients were really holding their sockets all along.
    const httpHeld = hostiles.filter((h) => h.kind === 'http-trickle' && h.closedAt === null).length;
    assert.ok(httpHeld >= 90, `only ${httpHeld} slow HTTP connections still open`);

    // Every unauthenticated worker-port connection is dropped after the auth timeout (plus margin).
    const workerPort = hostiles.filter((h) => !h.kind.startsWith('http'));
    await waitFor(
      () => workerPort.every((h) => h.closedAt !== null),
      AUTH_TIMEOUT_S * 1000 + 6000,
      'the worker-port slow-loris connections to be closed',
    );
    for (const h of workerPort) {
      assert.ok(
        h.closedAt! - h.openedAt <= AUTH_TIMEOUT_S * 1000 + 5000,
        `${h.kind} held ${h.closedAt! - h.openedAt} ms`,
      );
    }
    // Those that got as far as a session were told why.
    for (const h of workerPort.filter((h) => h.kind === 'plain-trickle' || h.kind === 'tls-trickle')) {
      assert.match(h.received, /AUTH_TIMEOUT/, `${h.kind}: ${h.received}`);
    }
    // HTTP garbage gets a 400 and a close.
    await waitFor(
      () => hostiles.filter((h) => h.kind === 'http-garbage').every((h) => h.closedAt !== null),
      5000,
      'the HTTP garbage connections to be closed',
    );
    for (const h of hostiles.filter((h) => h.kind === 'http-garbage' && h.received)) {
      assert.match(h.received, /^HTTP\/1\.1 4\d\d/);
    }

    // Still serving after all that: the worker is online and a last task goes through.
    assert.ok(main.running);
    await main.waitForDevice('steady');
    const last = await main.waitForTask(
      await main.submit({ task_type: 'echo', payload: 'after' }),
      isFinished,
    );
    assert.equal(last.status, 'success');
    const held = workerPort.map((h) => h.closedAt! - h.openedAt);
    console.log(
      `${hostiles.length} hostile connections; ${completed} tasks done meanwhile, slowest API round ${slowest} ms; ` +
        `worker-port connections held ${Math.min(...held)}-${Math.max(...held)} ms`,
    );
  } finally {
    clearInterval(ticker);
    for (const h of hostiles) h.socket.destroy();
  }
});
