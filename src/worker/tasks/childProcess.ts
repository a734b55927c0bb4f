/**
 * Runs one child process in its own process group, so a timeout or a cancel can kill everything the
 * task started (a shell's background jobs included), not just the direct child. Output is collected
 * asynchronously with a cap per stream; nothing here blocks the event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CappedOutput } from './cappedOutput.ts';
import { stopReason, type StopReason } from './outcome.ts';

export interface ChildOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  maxOutputBytes: number;
  /** Stops the child with reason 'timeout' after this many ms. */
  timeoutMs?: number;
  /** Written to the child's stdin, which is then closed; without it stdin is /dev/null. */
  input?: string;
  /** Time between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  /** Passed through to spawn for cmd.exe, which parses its own command line. */
  windowsVerbatimArguments?: boolean;
}

export interface ChildResult {
  exitCode: number | null;
  exitSignal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  /** Set when the child was killed because of a timeout or a cancel. */
  stoppedBy: StopReason | null;
}

/** The program could not be started at all (not found, not executable, bad cwd). */
export class SpawnError extends Error {
  override name = 'SpawnError';
}

const DEFAULT_KILL_GRACE_MS = 2_000;
// setTimeout fires at once for larger delays, which would turn a long timeout into an instant one.
const MAX_TIMER_MS = 2_147_483_647;

export function runChild(options: ChildOptions): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const stdout = new CappedOutput(options.maxOutputBytes);
    const stderr = new CappedOutput(options.maxOutputBytes);
    const finish = (
      exitCode: number | null,
      exitSignal: NodeJS.Signals | null,
      stoppedBy: StopReason | null,
    ) =>
      resolve({
        exitCode,
        exitSignal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        truncated: stdout.truncated || stderr.truncated,
        stoppedBy,
      });
    if (options.signal.aborted) {
      finish(null, null, stopReason(options.signal));
      return;
    }

    let child: ChildProcess;
    try {
      child = spawnInOwnGroup(options);
    } catch (error) {
      reject(
        new SpawnError(`could not start ${options.command}: ${(error as Error).message}`, { cause: error }),
      );
      return;
    }
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    if (options.input !== undefined && child.stdin) {
      // A child may exit without reading its input (EPIPE); its exit status tells what happened.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }

    const killer = new GroupKiller(child, options.killGraceMs ?? DEFAULT_KILL_GRACE_MS);
    const onAbort = () => killer.stop(stopReason(options.signal));
    options.signal.addEventListener('abort', onAbort, { once: true });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => killer.stop('timeout'), Math.min(Math.max(options.timeoutMs, 0), MAX_TIMER_MS));
    const cleanUp = () => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      killer.dispose();
    };

    let spawned = false;
    child.once('spawn', () => (spawned = true));
    child.on('error', (error) => {
      if (spawned) return; // a failed kill after start: 'close' still follows and reports the exit
      cleanUp();
      reject(new SpawnError(`could not start ${options.command}: ${error.message}`, { cause: error }));
    });
    child.once('close', (code, signal) => {
      if (!spawned) return;
      cleanUp();
      finish(code, signal, killer.reason);
    });
  });
}

function spawnInOwnGroup(options: ChildOptions): ChildProcess {
  const windows = process.platform === 'win32';
  return spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    // A new process group on POSIX; on Windows `detached` would open a console, and taskkill /T
    // reaches the tree anyway.
    detached: !windows,
    windowsHide: true,
    windowsVerbatimArguments: options.windowsVerbatimArguments ?? false,
  });
}

/** SIGTERM to the whole group, SIGKILL after a grace period and again once the child is gone. */
class GroupKiller {
  readonly #child: ChildProcess;
  readonly #graceMs: number;
  #reason: StopReason | null = null;
  #graceTimer: NodeJS.Timeout | undefined;

  constructor(child: ChildProcess, graceMs: number) {
    this.#child = child;
    this.#graceMs = graceMs;
  }

  get reason(): StopReason | null {
    return this.#reason;
  }

  stop(reason: StopReason): void {
    if (this.#reason !== null) return;
    this.#reason = reason;
    this.#signalGroup('SIGTERM');
    this.#graceTimer = setTimeout(() => this.#signalGroup('SIGKILL'), this.#graceMs);
  }

  dispose(): void {
    clearTimeout(this.#graceTimer);
    // Processes of a stopped task that ignored SIGTERM and let go of the pipes must not outlive it.
    if (this.#reason !== null) this.#signalGroup('SIGKILL');
  }

  #signalGroup(signal: NodeJS.Signals): void {
    const pid = this.#child.pid;
    if (pid === undefined) return;
    if (process.platform === 'win32') {
      killTreeOnWindows(pid);
      return;
    }
    try {
      process.kill(-pid, signal);
    } catch (error) {
      // ESRCH: the group is already gone, which is what we wanted. Anything else (EPERM): at least
      // stop the direct child rather than crash the worker from a timer.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') this.#child.kill(signal);
    }
  }
}

function killTreeOnWindows(pid: number): void {
  const taskkill = spawn('taskkill', ['/pid', String(pid), '/T', '/F'], {
    stdio: 'ignore',
    windowsHide: true,
  });
  // If taskkill itself is missing there is nothing better to try; the child's exit decides the outcome.
  taskkill.on('error', () => undefined);
}
