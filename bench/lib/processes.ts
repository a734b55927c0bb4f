/**
 * The processes a benchmark runs: a main node started through the CLI exactly as a user would, and
 * workers from the single-file bundle. Their output goes to files in the run directory (reading a
 * pipe would cost the bench CPU that the measured processes need).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJoinToken } from '../../src/protocol/joinToken.ts';
import { sleep, waitFor } from './wait.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'src/cli/index.ts');
export const WORKER_BUNDLE = join(ROOT, 'dist/worker.cjs');

/**
 * `BENCH_PROFILE=main,worker` runs those processes under `--cpu-prof`; the profiles land in
 * bench/results/profiles/ (open them in Chrome DevTools or speedscope for a flame graph).
 */
const PROFILE = new Set((process.env.BENCH_PROFILE ?? '').split(',').filter(Boolean));
export const PROFILE_DIR = join(ROOT, 'bench/results/profiles');

export function profileFlags(kind: 'main' | 'worker'): string[] {
  if (!PROFILE.has(kind)) return [];
  const dir = join(PROFILE_DIR, kind);
  mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

export interface Transport {
  /** Whether the workers' port speaks TLS (the main node's default) or plain TCP (`--no-tls`). */
  tls: boolean;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export class BenchProcess {
  readonly child: ChildProcess;
  readonly logFile: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(command: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = {}) {
    this.logFile = logFile;
    const fd = openSync(logFile, 'a');
    this.child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  log(): string {
    return readFileSync(this.logFile, 'utf8');
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export interface MainOptions extends Transport {
  dir: string;
  port?: number;
  httpPort?: number;
  args?: string[];
  /** Raise the soft open-file limit to this before Node starts (a shell `ulimit -n`, then exec). */
  openFiles?: number;
}

export class BenchMain extends BenchProcess {
  tcpPort = 0;
  httpPort = 0;
  readonly dataDir: string;
  startedAt = 0;

  private constructor(options: MainOptions) {
    const dataDir = join(options.dir, 'data');
    mkdirSync(options.dir, { recursive: true });
    const nodeArgs = [
      ...profileFlags('main'),
      CLI,
      'main',
      '--host',
      '127.0.0.1',
      '--port',
      String(options.port ?? 0),
      '--http-port',
      String(options.httpPort ?? 0),
      '--data-dir',
      dataDir,
      ...(options.args ?? []),
    ];
    // The API rate limit would throttle the bench, and every simulated device comes from 127.0.0.1,
    // where a real fleet comes from as many addresses: the per-address limits are off. TLS follows
    // the transport under test.
    const env = {
      RC_RATE_LIMIT_PER_MINUTE: '0',
      RC_MAX_CONNECTIONS_PER_IP: '0',
      RC_MAX_REGISTRATIONS_PER_MINUTE: '0',
      RC_TLS: options.tls ? '1' : '0',
      // `--main-node-options`: V8 flags for the main node alone (see bench/README.md).
      ...(process.env.BENCH_MAIN_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_MAIN_NODE_OPTIONS } : {}),
    };
    const [command, args] = withOpenFiles(options.openFiles, process.execPath, nodeArgs);
    super(command, args, join(options.dir, 'main.log'), env);
    this.dataDir = dataDir;
    this.startedAt = performance.now();
  }

  /** Starts a main node and resolves once its banner says it listens. */
  static async start(options: MainOptions): Promise<BenchMain> {
    const main = new BenchMain(options);
    await main.ready();
    return main;
  }

  static spawn(options: MainOptions): BenchMain {
    return new BenchMain(options);
  }

  async ready(timeoutMs = 60_000): Promise<void> {
    const text = await waitFor(
      () => {
        if (!this.running) throw new Error(`main node exited:\n${this.log()}`);
        const log = this.log();
        return /HTTP API\s+https?:\/\/[\d.]+:(\d+)/.test(log) ? log : null;
      },
      timeoutMs,
      'the main node banner',
      5,
    );
    this.tcpPort = Number(/Workers \(TCP\)\s+[\d.]+:(\d+)/.exec(text)![1]);
    this.httpPort = Number(/HTTP API\s+https?:\/\/[\d.]+:(\d+)/.exec(text)![1]);
  }

  get joinToken(): string {
    return readFileSync(join(this.dataDir, 'join.token'), 'utf8').trim();
  }

  get apiToken(): string {
    return readFileSync(join(this.dataDir, 'api.token'), 'utf8').trim();
  }

  /** Whether workers must dial TLS: the join token carries the certificate's fingerprint. */
  get tls(): boolean {
    return parseJoinToken(this.joinToken).fingerprint !== null;
  }

  get url(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  async api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(this.url + path, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiToken}` },
      body: body === undefined ? null : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  async onlineDevices(): Promise<number> {
    const { body } = await this.api('GET', '/api/v1/devices?status=online&page_size=1');
    return body.data.pagination.total as number;
  }

  /** Tasks not yet finished, as the store has them (each listing commits first, so it is durable). */
  async unfinishedTasks(): Promise<number> {
    const counts = await Promise.all(
      // `pending` is a status the cluster never sets (submitted tasks are queued at once).
      ['queued', 'assigned', 'running'].map(async (status) => {
        const { body } = await this.api('GET', `/api/v1/tasks?status=${status}&page_size=1`);
        return body.data.pagination.total as number;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  async tasksWithStatus(status: string): Promise<number> {
    const { body } = await this.api('GET', `/api/v1/tasks?status=${status}&page_size=1`);
    return body.data.pagination.total as number;
  }
}

export class BenchWorker extends BenchProcess {
  readonly deviceId: string;

  constructor(main: BenchMain, dir: string, deviceId: string, maxTasks = 16) {
    mkdirSync(dir, { recursive: true });
    super(
      process.execPath,
      [
        ...profileFlags('worker'),
        WORKER_BUNDLE,
        '--join',
        `127.0.0.1:${main.tcpPort}`,
        '--device-id',
        deviceId,
        '--state-dir',
        join(dir, deviceId),
        '--max-tasks',
        String(maxTasks),
      ],
      join(dir, `${deviceId}.log`),
      { RC_JOIN_TOKEN: main.joinToken },
    );
    this.deviceId = deviceId;
  }
}

/** Starts `count` workers and waits until all of them are online. */
export async function startWorkers(main: BenchMain, dir: string, count: number): Promise<BenchWorker[]> {
  const workers = Array.from({ length: count }, (_, i) => new BenchWorker(main, dir, `bench-w${i + 1}`));
  await waitFor(
    async () => {
      for (const w of workers) if (!w.running) throw new Error(`worker exited:\n${w.log()}`);
      return (await main.onlineDevices()) >= count;
    },
    60_000,
    `${count} workers online`,
  );
  return workers;
}

export async function stopAll(procs: readonly (BenchProcess | null | undefined)[]): Promise<void> {
  await Promise.all(procs.map((p) => p?.stop()));
  await sleep(50);
}

/** Runs `node` under `sh -c 'ulimit -n N; exec ...'` so it gets the raised soft limit, same pid. */
function withOpenFiles(openFiles: number | undefined, command: string, args: string[]): [string, string[]] {
  if (openFiles === undefined) return [command, args];
  const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return ['/bin/sh', ['-c', `ulimit -n ${openFiles} && exec ${quoted}`]];
}

export { withOpenFiles };
