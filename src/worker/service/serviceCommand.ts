/**
 * Turns the command line someone used into the one a service runs: install flags and secrets are
 * dropped (the join token goes into a 0600 env file instead), paths made absolute.
 */
import { homedir } from 'node:os';
import { detectTermux } from '../profiler/platform.ts';
import { defaultProbeEnvironment } from '../profiler/probeEnvironment.ts';
import {
  applyInstall,
  applyUninstall,
  detectServicePlatform,
  planInstall,
  planUninstall,
  type ServiceTarget,
} from './installService.ts';
import type { ServiceSpec } from './serviceFiles.ts';

// Identity and state are re-added explicitly (absolute, resolved), the token goes to the env file.
const DROPPED_FLAGS = ['--install-service', '--uninstall-service', '--test', '--auto-id'];
// A main node's tokens are kept in its data dir; a service never carries them on its command line.
const DROPPED_VALUED = [
  '--service-root',
  '--token',
  '--device-id',
  '--state-dir',
  '--join-token',
  '--api-token',
  '--data-dir',
];

export function serviceArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.split('=')[0]!;
    if (DROPPED_FLAGS.includes(name)) continue;
    if (DROPPED_VALUED.includes(name)) {
      if (!arg.includes('=')) i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

export interface ServiceRequest {
  install: boolean;
  spec: ServiceSpec;
  /** Written to the env file (install only). */
  env: Record<string, string>;
  root: string;
  write(line: string): void;
}

export async function manageService(request: ServiceRequest): Promise<void> {
  const isTermux = await detectTermux(defaultProbeEnvironment(homedir())).catch(() => false);
  const target: ServiceTarget = {
    platform: detectServicePlatform(process.platform, isTermux),
    root: request.root,
    home: homedir(),
    system: process.getuid?.() === 0 && !isTermux,
  };
  if (request.install) {
    const plan = planInstall(request.spec, target, request.env);
    await applyInstall(plan, target);
    for (const file of plan.files) request.write(`wrote ${file.path}`);
    if (target.root === '/') for (const command of plan.commands) request.write(`ran ${command.join(' ')}`);
    else
      request.write(
        `not enabled (written under ${target.root}); enable with: ${plan.commands.map((c) => c.join(' ')).join(' && ')}`,
      );
    for (const note of plan.notes) request.write(`note: ${note}`);
  } else {
    const plan = planUninstall(request.spec, target);
    await applyUninstall(plan, target);
    for (const file of plan.files) request.write(`removed ${file.path}`);
  }
}
