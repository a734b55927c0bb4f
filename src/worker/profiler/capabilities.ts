import { findExecutable } from './findExecutable.ts';
import type { ProbeEnvironment } from './probeEnvironment.ts';
import { pathExists } from './readText.ts';

/** Checks the shell Node itself would use for `shell: true` (Android has no /bin/sh). */
export async function probeShell(environment: ProbeEnvironment): Promise<boolean> {
  switch (environment.platform) {
    case 'win32': {
      const comSpec = environment.env.ComSpec ?? environment.env.COMSPEC;
      if (comSpec && (await pathExists(comSpec))) return true;
      return (await findExecutable('cmd', environment.env, environment.platform)) !== null;
    }
    case 'android':
      return pathExists('/system/bin/sh');
    default:
      return pathExists('/bin/sh');
  }
}

/** The Termux:API command-line package; the app itself is only proven by a command that answers. */
export async function probeTermuxApi(environment: ProbeEnvironment): Promise<boolean> {
  return (await findExecutable('termux-battery-status', environment.env, environment.platform)) !== null;
}
