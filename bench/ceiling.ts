/**
 * `ceiling`: the physical limit of this design on this machine. One process (this one, the hub) and
 * the same W processes as in `throughput`, over loopback, exchange one task message and one result
 * message per task, in the same envelopes and over the same transport, with the same 16 tasks in
 * flight per process; no store, no scheduling, no validation. Throughput divided by this says how
 * much of the machine the main node's own work costs.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { createSelfSignedCert } from '../src/main/tls/selfSignedCert.ts';
import { BenchProcess, ROOT } from './lib/processes.ts';
import { sleep, waitFor } from './lib/wait.ts';

export interface CeilingOptions {
  dir: string;
  workers: number;
  tls: boolean;
  /** Measured after a warm-up of the same length / 2. */
  seconds: number;
  inFlight?: number;
}

export interface CeilingResult {
  workers: number;
  tasks_per_s: number;
}

export async function runCeiling(options: CeilingOptions): Promise<CeilingResult> {
  const inFlight = options.inFlight ?? 16;
  let completed = 0;
  let running = true;
  const sockets: Socket[] = [];
  const onConnection = (socket: Socket) => {
    sockets.push(socket);
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    let buffer = '';
    socket.on('data', (chunk: string) => {
      const text = buffer + chunk;
      let start = 0;
      let nl: number;
      let replies = 0;
      while ((nl = text.indexOf('\n', start)) !== -1) {
        const message = JSON.parse(text.slice(start, nl));
        start = nl + 1;
        if (message.data.status === 'success') replies++;
      }
      buffer = text.slice(start);
      completed += replies;
      if (running && replies > 0) socket.write(assignments(replies));
    });
    socket.on('error', () => {});
  };
  const server: Server = options.tls
    ? createTlsServer(tlsContext(), onConnection)
    : createTcpServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const procs = Array.from(
    { length: options.workers },
    (_, i) =>
      new BenchProcess(
        process.execPath,
        [join(ROOT, 'bench/ceilingEcho.ts'), String(port), options.tls ? '1' : '0', `echo-${i + 1}`],
        join(options.dir, `ceiling-echo-${i + 1}.log`),
      ),
  );
  try {
    await waitFor(() => sockets.length === options.workers, 30_000, 'the echo processes to connect');
    for (const socket of sockets) socket.write(assignments(inFlight));
    await sleep((options.seconds * 1000) / 2);
    const before = completed;
    const start = performance.now();
    await sleep(options.seconds * 1000);
    const done = completed - before;
    const seconds = (performance.now() - start) / 1000;
    running = false;
    return { workers: options.workers, tasks_per_s: Math.round(done / seconds) };
  } finally {
    running = false;
    for (const socket of sockets) socket.destroy();
    await Promise.all(procs.map((p) => p.stop('SIGKILL')));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

let nextId = 0;

/** `count` task_assign messages shaped as the main node sends them. */
function assignments(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    out +=
      JSON.stringify({
        message_type: 'task_assign',
        sender_id: 'main',
        receiver_id: 'echo',
        message_id: randomUUID(),
        timestamp: new Date().toISOString(),
        data: {
          task: {
            task_id: randomUUID(),
            task_type: 'echo',
            payload: { n: ++nextId },
            priority: 'normal',
            timeout_seconds: 300,
            attempt: 1,
            metadata: {},
          },
        },
      }) + '\n';
  }
  return out;
}

function tlsContext(): { key: string; cert: string } {
  const { keyPem, certPem } = createSelfSignedCert('bench-ceiling');
  return { key: keyPem, cert: certPem };
}
