/**
 * The `fleet` simulator: one process that connects S simulated devices to a main node over the real
 * protocol. Each registers with the join token (as a new worker does), then heartbeats with metrics
 * every interval, the devices' phases spread evenly over the interval. Reports JSON lines on stdout:
 * `registered` (how long the storm took, and the CPU seconds this process spent on it) and, at the
 * end, `done` (heartbeats sent and acknowledged).
 *
 * Usage: node bench/fleetSimulator.ts PORT TLS(0|1) JOIN_TOKEN DEVICES INTERVAL_S DURATION_S
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, createSecureContext, type SecureContext } from 'node:tls';
import { parseJoinToken } from '../src/protocol/joinToken.ts';
import { encode, LineReader } from './lib/wire.ts';

const [portArg, tlsArg, token, devicesArg, intervalArg, durationArg] = process.argv.slice(2);
const port = Number(portArg);
const tls = tlsArg === '1';
const joinSecret = parseJoinToken(token!).secret;
const deviceCount = Number(devicesArg);
const intervalMs = Number(intervalArg) * 1000;
const durationMs = Number(durationArg) * 1000;
/** Registrations in flight at once: a storm, but within the listen backlog of the main node. */
const CONCURRENCY = 256;
/**
 * One TLS client context for every simulated device. A real device builds its own once, on its own
 * CPU; building 10,000 of them here (what `tls.connect` does without one) would measure this
 * process's OpenSSL set-up, not the main node. Every connection still does its own full handshake.
 */
const secureContext: SecureContext | undefined = tls ? createSecureContext() : undefined;

let heartbeatsSent = 0;
let heartbeatAcks = 0;
let errors = 0;
let disconnects = 0;
let nextMessageId = 0;

function report(event: string, fields: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');
}

/** One simulated device: its connection, the register round trip, then heartbeats counted by their acks. */
class SimulatedDevice {
  readonly index: number;
  readonly senderId: string;
  closed = false;
  #socket: Socket;
  #lines = new LineReader();
  #registered: { id: string; resolve: () => void; reject: (error: Error) => void } | null = null;

  private constructor(index: number, socket: Socket) {
    this.index = index;
    this.senderId = `sim-${index}`;
    this.#socket = socket;
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.#onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      disconnects++;
      this.#registered?.reject(new Error(`${this.senderId}: connection closed before the register ack`));
    });
  }

  static connect(index: number): Promise<SimulatedDevice> {
    const host = '127.0.0.1';
    // The bench trusts its own main node: the fingerprint check is the worker's business.
    const socket = tls
      ? connectTls({ host, port, secureContext, rejectUnauthorized: false })
      : connectTcp({ host, port });
    return new Promise((resolve, reject) => {
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        socket.off('error', reject);
        resolve(new SimulatedDevice(index, socket));
      });
      socket.once('error', reject);
    });
  }

  register(data: unknown): Promise<void> {
    const id = `r${++nextMessageId}`;
    const done = new Promise<void>((resolve, reject) => (this.#registered = { id, resolve, reject }));
    this.#socket.write(encode('register', this.senderId, id, data));
    return done;
  }

  heartbeat(data: unknown): void {
    if (this.closed) return;
    heartbeatsSent++;
    this.#socket.write(encode('heartbeat', this.senderId, `h${++nextMessageId}`, data));
  }

  close(): void {
    this.#socket.destroy();
  }

  #onData(chunk: string): void {
    this.#lines.push(chunk, (line) => this.#onMessage(JSON.parse(line)));
  }

  #onMessage(message: {
    message_type: string;
    data?: { original_message_id?: string; code?: string; error?: string };
  }): void {
    const waiter = this.#registered;
    if (waiter && message.data?.original_message_id === waiter.id) {
      this.#registered = null;
      if (message.message_type === 'ack') waiter.resolve();
      else waiter.reject(new Error(`${message.data.code}: ${message.data.error}`));
      return;
    }
    if (message.message_type === 'ack') heartbeatAcks++;
    else if (message.message_type === 'error') errors++;
  }
}

function profile(i: number): Record<string, unknown> {
  return {
    protocol_version: 1,
    auth: { join_token: joinSecret },
    device_id: `sim-${String(i).padStart(6, '0')}`,
    role: 'mobile',
    platform: 'android',
    arch: 'arm64',
    hostname: `phone-${i}`,
    cpu_count: 8,
    cpu_model: 'Kryo 260',
    memory_total_gb: 4,
    storage_total_gb: 64,
    gpu: null,
    node_version: 'v20.11.0',
    python_version: null,
    is_termux: true,
    tags: ['sim'],
    capabilities: {},
    task_types: ['echo', 'sleep'],
    max_concurrent_tasks: 2,
    running_tasks: [],
    metrics: metrics(i),
  };
}

function metrics(i: number): Record<string, unknown> {
  return {
    cpu_percent: (i * 7) % 100,
    memory_percent: 41.5,
    memory_available_gb: 2.1,
    storage_free_gb: 30.2,
    load_avg: [0.5, 0.4, 0.3],
    battery_percent: 80,
    battery_charging: true,
    temperature_c: 35.5,
    running_tasks: 0,
  };
}

async function registerOne(i: number): Promise<SimulatedDevice> {
  const device = await SimulatedDevice.connect(i);
  await device.register(profile(i));
  return device;
}

async function main(): Promise<void> {
  const clients: SimulatedDevice[] = new Array(deviceCount);
  const start = performance.now();
  const cpuAtStart = process.cpuUsage();
  let next = 0;
  const lane = async () => {
    while (next < deviceCount) {
      const i = next++;
      clients[i] = await registerOne(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, deviceCount) }, lane));
  const cpu = process.cpuUsage(cpuAtStart);
  report('registered', {
    devices: deviceCount,
    seconds: (performance.now() - start) / 1000,
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
  });

  // Device i beats at phase i/S of the interval, so the load is even, as a real fleet's would be.
  const timers: NodeJS.Timeout[] = [];
  for (let i = 0; i < deviceCount; i++) {
    const client = clients[i]!;
    const beat = () => client.heartbeat({ metrics: metrics(i), running_tasks: [] });
    timers.push(
      setTimeout(
        () => {
          beat();
          timers.push(setInterval(beat, intervalMs));
        },
        Math.floor((i / deviceCount) * intervalMs),
      ),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  for (const timer of timers) clearTimeout(timer);
  // Let the last acks arrive before counting them.
  await new Promise((resolve) => setTimeout(resolve, 500));
  report('done', { heartbeats_sent: heartbeatsSent, heartbeat_acks: heartbeatAcks, errors, disconnects });
  for (const client of clients) client.close();
  process.exit(0);
}

main().catch((error: unknown) => {
  report('failed', { error: String((error as Error).stack ?? error) });
  process.exit(1);
});
