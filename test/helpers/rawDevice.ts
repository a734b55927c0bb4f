/**
 * A device speaking the wire protocol by hand: it registers with whatever profile a test needs (a
 * custom task type, say) and records what the main node sends it, without running anything.
 */
import type { Socket } from 'node:net';
import { dialMain } from '../../src/main/tls/dialPinned.ts';
import { parseJoinToken } from '../../src/protocol/joinToken.ts';
import { waitFor } from './waitFor.ts';

export interface RawDeviceOptions {
  port: number;
  joinToken: string;
  deviceId: string;
  taskTypes?: string[];
  maxConcurrentTasks?: number;
  role?: string;
  capabilities?: Record<string, unknown>;
}

export class RawDevice {
  readonly socket: Socket;
  readonly received: any[] = [];
  closed = false;
  #buffer = '';

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer += chunk.toString();
      const lines = this.#buffer.split('\n');
      this.#buffer = lines.pop()!;
      for (const line of lines) if (line) this.received.push(JSON.parse(line));
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => {});
  }

  /** Connects and registers; resolves once the main node has acknowledged the registration. */
  static async register(options: RawDeviceOptions): Promise<RawDevice> {
    const { fingerprint } = parseJoinToken(options.joinToken);
    const device = new RawDevice(await dialMain('127.0.0.1', options.port, fingerprint));
    device.send('register', {
      device_id: options.deviceId,
      auth: { join_token: options.joinToken },
      role: options.role ?? 'worker',
      platform: 'linux',
      cpu_count: 1,
      memory_total_gb: 1,
      task_types: options.taskTypes ?? ['echo'],
      max_concurrent_tasks: options.maxConcurrentTasks ?? 1,
      capabilities: options.capabilities ?? {},
    });
    const reply = await device.waitFor((m) => m.message_type === 'ack' || m.message_type === 'error');
    if (reply.message_type !== 'ack') throw new Error(`register refused: ${JSON.stringify(reply.data)}`);
    return device;
  }

  send(type: string, data: unknown): void {
    const message = {
      message_type: type,
      sender_id: 'raw-device',
      receiver_id: null,
      message_id: `m-${Math.random().toString(36).slice(2)}`,
      timestamp: new Date().toISOString(),
      data,
    };
    this.socket.write(JSON.stringify(message) + '\n');
  }

  waitFor(match: (message: any) => boolean, timeoutMs = 10_000): Promise<any> {
    return waitFor(() => this.received.find(match), timeoutMs, 'a message from the main node');
  }

  close(): void {
    this.socket.destroy();
  }
}
