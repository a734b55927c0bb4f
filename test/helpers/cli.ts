/** Runs the real CLI (`node src/cli/index.ts ...`) to completion, or in the background for `watch`/`api`. */
import { CLI, Proc } from './processes.ts';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const proc = new Proc([CLI, ...args], env);
  const { code, signal } = await proc.exited;
  return { code, signal, stdout: proc.stdout, stderr: proc.stderr };
}

/** A CLI process left running (watch, api); the caller stops it (or a ProcessGroup does). */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  return new Proc([CLI, ...args], env);
}

/** stdout's complete lines parsed as JSON (for `--json` line streams still being written). */
export function jsonLines(stdout: string): any[] {
  return stdout
    .slice(0, stdout.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}
