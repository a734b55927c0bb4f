import { hostname as osHostname } from 'node:os';
import type { ProbeEnvironment } from './probeEnvironment.ts';
import { pathExists } from './readText.ts';

export const TERMUX_DATA_DIR = '/data/data/com.termux';

export interface PlatformInfo {
  platform: string;
  arch: string;
  hostname: string;
  is_termux: boolean;
}

/**
 * Termux's own Node says `android`, but a Node from elsewhere (a proot distro, a custom build) may say
 * `linux`; the Termux environment variables and its data dir give it away either way.
 */
export async function detectTermux(
  environment: ProbeEnvironment,
  termuxDataDir: string = TERMUX_DATA_DIR,
): Promise<boolean> {
  const { env } = environment;
  if (env.TERMUX_VERSION) return true;
  if (env.PREFIX?.includes('com.termux')) return true;
  if (environment.platform === 'win32') return false;
  return pathExists(termuxDataDir);
}

export async function probePlatform(
  environment: ProbeEnvironment,
  termuxDataDir: string = TERMUX_DATA_DIR,
): Promise<PlatformInfo> {
  const isTermux = await detectTermux(environment, termuxDataDir);
  return {
    platform: isTermux ? 'android' : environment.platform,
    arch: process.arch,
    hostname: readHostname(environment.env),
    is_termux: isTermux,
  };
}

function readHostname(env: NodeJS.ProcessEnv): string {
  try {
    const name = osHostname().trim();
    if (name !== '') return name;
  } catch {
    // Some sandboxes refuse uname(); fall through to what the shell knows.
  }
  return env.HOSTNAME?.trim() || 'unknown';
}
