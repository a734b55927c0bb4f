/**
 * Glossary
 * - probe environment: where the probes look. Tests point the roots at a fake tree in a temp dir and
 *   pass a fake `env` (its PATH decides which commands exist), so no probe reads the real machine.
 */
export interface ProbeEnvironment {
  /** Normally `/sys`. */
  sysfsRoot: string;
  /** Normally `/proc`. */
  procRoot: string;
  /** Environment variables; `PATH` is also where commands such as `python3` are looked up. */
  env: NodeJS.ProcessEnv;
  /** The worker's data/state dir: storage is measured on the file system that holds it. */
  stateDir: string;
  platform: NodeJS.Platform;
}

export function defaultProbeEnvironment(stateDir: string): ProbeEnvironment {
  return { sysfsRoot: '/sys', procRoot: '/proc', env: process.env, stateDir, platform: process.platform };
}
