/**
 * Real processes for end-to-end tests: a main node started through the CLI and workers from the
 * single-file bundle (dist/worker.cjs, built by `npm test`'s pretest), all on 127.0.0.1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './waitFor.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'src/cli/index.ts');
export const WORKER_BUNDLE = join(ROOT, 'dist/worker.cjs');

/** Settings that make failures show within seconds instead of minutes. */
export const FAST_MAIN_ARGS = [
  '--heartbeat-interval',
  '1',
  '--heartbeat-timeout',
  '5',
  '--reconnect-grace',
  '1',
];
/** Tests poll every 20 ms, far past any sane API rate limit: the tests of the limit set one. */
export const FAST_MAIN_ENV = {
  RC_RETRY_BASE_DELAY_MS: '100',
  RC_RETRY_MAX_DELAY_MS: '1000',
  RC_RATE_LIMIT_PER_MINUTE: '0',
};

/**
 * A port free now, for a server a test must restart on the same port. Taken below the kernel's
 * ephemeral range (32768 and up here): a port found by binding port 0 is in that range, where every
 * other server on port 0 and every outgoing connection of the parallel tests may take it before the
 * test's server binds it (seen once in CI as EADDRINUSE).
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await canBind(port)) return port;
  }
}

const handedOut = new Set<number>();

function canBind(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export class Proc {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    await this.exited;
  }
}

export interface MainOptions {
  dataDir: string;
  port?: number;
  httpPort?: number;
  args?: string[];
  env?: NodeJS.ProcessEnv;
}

export class MainProcess extends Proc {
  tcpPort = 0;
  httpPort = 0;
  readonly dataDir: string;

  constructor(options: MainOptions) {
    super(
      [
        CLI,
        'main',
        '--host',
        '127.0.0.1',
        '--port',
        String(options.port ?? 0),
        '--http-port',
        String(options.httpPort ?? 0),
        '--data-dir',
        options.dataDir,
        ...FAST_MAIN_ARGS,
        ...(options.args ?? []),
      ],
      { ...FAST_MAIN_ENV, ...options.env },
    );
    this.dataDir = options.dataDir;
  }

  static async start(options: MainOptions): Promise<MainProcess> {
    const main = new MainProcess(options);
    await waitFor(
      () => {
        if (!main.running) throw new Error(`main node exited: ${main.stderr}`);
        return /HTTP API\s+https?:\/\/[\d.]+:(\d+)/.test(main.stdout);
      },
      20_000,
      'the main node banner',
    ).catch((error: Error) => {
      main.child.kill('SIGKILL');
      throw new Error(`${error.message}\nstdout: ${main.stdout}\nstderr: ${main.stderr}`);
    });
    main.tcpPort = Number(main.stdout.match(/Workers \(TCP\)\s+[\d.]+:(\d+)/)![1]);
    main.httpPort = Number(main.stdout.match(/HTTP API\s+https?:\/\/[\d.]+:(\d+)/)![1]);
    return main;
  }

  get joinToken(): string {
    return readFileSync(join(this.dataDir, 'join.token'), 'utf8').trim();
  }

  get apiToken(): string {
    return readFileSync(join(this.dataDir, 'api.token'), 'utf8').trim();
  }

  get url(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  /** Calls the HTTP API with the API token; returns the status and the parsed body. */
  async api<T = any>(method: string, path: string, body?: unknown, token: string | null = this.apiToken) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const response = await fetch(this.url + path, {
      method,
      headers,
      body: body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async submit(task: Record<string, unknown>): Promise<string> {
    const { status, body } = await this.api('POST', '/api/v1/tasks', task);
    if (status !== 201) throw new Error(`submit failed: ${status} ${JSON.stringify(body)}`);
    return body.data.task_id as string;
  }

  async task(taskId: string): Promise<any> {
    const { body } = await this.api('GET', `/api/v1/tasks/${taskId}`);
    return body.data.task;
  }

  async devices(): Promise<any[]> {
    const { body } = await this.api('GET', '/api/v1/devices');
    return body.data.devices;
  }

  async waitForDevice(deviceId: string, status = 'online', timeoutMs = 15_000): Promise<any> {
    return waitFor(
      async () => (await this.devices()).find((d) => d.device_id === deviceId && d.status === status),
      timeoutMs,
      `device ${deviceId} to be ${status}`,
    );
  }

  async waitForTask(
    taskId: string,
    done: (task: any) => boolean = isFinished,
    timeoutMs = 30_000,
  ): Promise<any> {
    return waitFor(
      async () => {
        const task = await this.task(taskId);
        return done(task) ? task : null;
      },
      timeoutMs,
      `task ${taskId}`,
    );
  }
}

export function isFinished(task: { status: string }): boolean {
  return ['success', 'failed', 'cancelled', 'timeout'].includes(task.status);
}

export interface WorkerOptions {
  main: { tcpPort: number; joinToken: string };
  deviceId: string;
  stateDir: string;
  args?: string[];
  token?: string;
  /** Extra environment (the worker passes it on to the task processes it starts). */
  env?: NodeJS.ProcessEnv;
}

export class WorkerProcess extends Proc {
  readonly deviceId: string;

  constructor(options: WorkerOptions) {
    super(
      [
        WORKER_BUNDLE,
        '--join',
        `127.0.0.1:${options.main.tcpPort}`,
        '--device-id',
        options.deviceId,
        '--state-dir',
        options.stateDir,
        '--heartbeat-interval',
        '1',
        ...(options.args ?? []),
      ],
      { ...options.env, RC_JOIN_TOKEN: options.token ?? options.main.joinToken },
    );
    this.deviceId = options.deviceId;
  }
}

/** Stops everything a test started, whatever happened in it. */
export class ProcessGroup {
  readonly procs: Proc[] = [];

  add<P extends Proc>(proc: P): P {
    this.procs.push(proc);
    return proc;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.all(this.procs.map((p) => p.kill('SIGKILL')));
  }
}
