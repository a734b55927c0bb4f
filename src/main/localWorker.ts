/**
 * The worker that `npm start` runs beside the main node, so a fresh install can run tasks at once.
 * It is a real worker in its own process (tasks must never block the main node), restarted if it dies.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from './logger.ts';
import { workerEntry } from './paths.ts';

export interface LocalWorkerOptions {
  port: number;
  joinToken: string;
  dataDir: string;
  logger: Logger;
  debug?: boolean;
}

export class LocalWorker {
  #options: LocalWorkerOptions;
  #child: ChildProcess | null = null;
  #closing = false;
  #restartDelayMs = 1000;

  constructor(options: LocalWorkerOptions) {
    this.#options = options;
  }

  start(): void {
    const { port, joinToken, dataDir, debug } = this.#options;
    const args = [
      workerEntry(),
      '--join',
      `127.0.0.1:${port}`,
      '--device-id',
      `local-${hostname()
        .replace(/[^A-Za-z0-9_.-]/g, '-')
        .slice(0, 60)}`,
      '--state-dir',
      join(dataDir, 'local-worker'),
      '--role',
      'worker',
      '--tags',
      'local',
    ];
    if (debug) args.push('--debug');
    const child = spawn(process.execPath, args, {
      env: { ...process.env, RC_JOIN_TOKEN: joinToken },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    this.#child = child;
    child.on('exit', (code, signal) => {
      this.#child = null;
      if (this.#closing) return;
      this.#options.logger.warn({ code, signal }, 'local worker exited; restarting');
      setTimeout(() => this.#closing || this.start(), this.#restartDelayMs).unref();
      this.#restartDelayMs = Math.min(this.#restartDelayMs * 2, 30_000);
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(forced);
  }
}
