import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface CommandOutput {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface RunCommandOptions {
  /** Also decides where `file` is looked up (its PATH). */
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Output beyond this is dropped; probes only need a line or two. */
  maxBytes?: number;
}

/**
 * Runs a short informational command. Resolves null when it cannot start or does not finish in
 * time (e.g. `termux-battery-status` waits forever when the Termux:API app is missing); never rejects.
 */
export function runCommand(
  file: string,
  args: readonly string[],
  options: RunCommandOptions,
): Promise<CommandOutput | null> {
  const maxBytes = options.maxBytes ?? 64 * 1024;
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(file, args, {
        env: options.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
        // Its own process group, so a timeout also kills the helpers it started (termux-api).
        detached: process.platform !== 'win32',
      });
    } catch {
      resolve(null);
      return;
    }
    const stdout = collect(child.stdout, maxBytes);
    const stderr = collect(child.stderr, maxBytes);
    let settled = false;
    const timer = setTimeout(() => {
      killTree(child);
      finish(null);
    }, options.timeoutMs);
    const finish = (value: CommandOutput | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    child.on('error', () => finish(null));
    child.on('close', (code) => finish({ exitCode: code, stdout: stdout.text(), stderr: stderr.text() }));
  });
}

function collect(stream: NodeJS.ReadableStream | null, maxBytes: number): { text(): string } {
  const chunks: Buffer[] = [];
  let size = 0;
  stream?.on('data', (chunk: Buffer) => {
    if (size >= maxBytes) return;
    const part = chunk.subarray(0, maxBytes - size);
    chunks.push(part);
    size += part.length;
  });
  return { text: () => Buffer.concat(chunks).toString('utf8') };
}

function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill('SIGKILL');
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone: nothing left to stop.
  }
}
