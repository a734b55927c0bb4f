import type { ProbeEnvironment } from './probeEnvironment.ts';
import { runCommand } from './runCommand.ts';

/** `Python 3.11.7` -> `3.11.7`; anything else (e.g. the Windows Store stub's advice) -> null. */
export function parsePythonVersion(output: string): string | null {
  return /^Python\s+(\d+\.\d+[\w.+-]*)\s*$/m.exec(output)?.[1] ?? null;
}

/** `python3` specifically, because that is the command `python_eval` runs. */
export async function probePythonVersion(
  environment: ProbeEnvironment,
  timeoutMs = 5000,
): Promise<string | null> {
  const output = await runCommand('python3', ['--version'], { env: environment.env, timeoutMs });
  if (output === null || output.exitCode !== 0) return null;
  // Python before 3.4 printed the version on stderr.
  return parsePythonVersion(output.stdout) ?? parsePythonVersion(output.stderr);
}
