/**
 * `--install-service` / `--uninstall-service`: writes what fits the platform and enables it.
 * `root` prefixes every path (tests and packagers write into a temp root); with a root other than
 * `/` nothing is enabled, only written.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { launchdPlist, type ServiceSpec, systemdUnit, termuxBootScript } from './serviceFiles.ts';

export type ServicePlatform = 'systemd' | 'launchd' | 'termux';

export interface ServiceTarget {
  platform: ServicePlatform;
  root: string;
  home: string;
  /** A system-wide unit (root) or a user unit. */
  system: boolean;
}

export interface ServicePlan {
  files: { path: string; content: string; mode: number }[];
  /** Commands that enable (or disable) it, run only when installing into `/`. */
  commands: string[][];
  notes: string[];
}

export function detectServicePlatform(platform: NodeJS.Platform, isTermux: boolean): ServicePlatform {
  if (isTermux) return 'termux';
  if (platform === 'darwin') return 'launchd';
  if (platform === 'linux') return 'systemd';
  throw new Error(
    `--install-service does not support ${platform} yet; start it from Task Scheduler or a login script`,
  );
}

function paths(spec: ServiceSpec, t: ServiceTarget) {
  const at = (p: string) => join(t.root, p);
  switch (t.platform) {
    case 'systemd':
      return at(
        t.system
          ? `/etc/systemd/system/${spec.name}.service`
          : join(t.home, `.config/systemd/user/${spec.name}.service`),
      );
    case 'launchd':
      return at(join(t.home, `Library/LaunchAgents/com.${spec.name}.plist`));
    case 'termux':
      return at(join(t.home, `.termux/boot/${spec.name}`));
  }
}

export function planInstall(spec: ServiceSpec, t: ServiceTarget, env: Record<string, string>): ServicePlan {
  const path = paths(spec, t);
  const files: ServicePlan['files'] = [];
  if (spec.envFile) {
    const lines = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    files.push({ path: join(t.root, spec.envFile), content: lines.join('\n') + '\n', mode: 0o600 });
  }
  const systemctl = t.system ? ['systemctl'] : ['systemctl', '--user'];
  switch (t.platform) {
    case 'systemd':
      files.push({ path, content: systemdUnit(spec, !t.system), mode: 0o644 });
      return {
        files,
        commands: [
          [...systemctl, 'daemon-reload'],
          [...systemctl, 'enable', '--now', `${spec.name}.service`],
        ],
        notes: t.system
          ? []
          : [`to keep it running after you log out: sudo loginctl enable-linger ${userName(t.home)}`],
      };
    case 'launchd':
      files.push({ path, content: launchdPlist(spec, `com.${spec.name}`), mode: 0o644 });
      return { files, commands: [['launchctl', 'load', '-w', path]], notes: [] };
    case 'termux':
      files.push({ path, content: termuxBootScript(spec), mode: 0o755 });
      return {
        files,
        commands: [['termux-wake-lock']],
        notes: ['install the Termux:Boot app and open it once, so Android lets it start Termux at boot'],
      };
  }
}

export function planUninstall(spec: ServiceSpec, t: ServiceTarget): ServicePlan {
  const path = paths(spec, t);
  const systemctl = t.system ? ['systemctl'] : ['systemctl', '--user'];
  const commands =
    t.platform === 'systemd'
      ? [[...systemctl, 'disable', '--now', `${spec.name}.service`]]
      : t.platform === 'launchd'
        ? [['launchctl', 'unload', '-w', path]]
        : [];
  const files = [{ path, content: '', mode: 0 }];
  if (spec.envFile) files.push({ path: join(t.root, spec.envFile), content: '', mode: 0 });
  return { files, commands, notes: [] };
}

export async function applyInstall(plan: ServicePlan, t: ServiceTarget): Promise<void> {
  for (const file of plan.files) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.content, { mode: file.mode });
    chmodSync(file.path, file.mode);
  }
  if (t.root === '/') for (const command of plan.commands) await run(command);
}

export async function applyUninstall(plan: ServicePlan, t: ServiceTarget): Promise<void> {
  // Disable first, so systemd stops it before its unit disappears.
  if (t.root === '/') for (const command of plan.commands) await run(command).catch(() => undefined);
  for (const file of plan.files) rmSync(file.path, { force: true });
}

function run(command: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command[0]!, command.slice(1), (error, _stdout, stderr) => {
      if (error) reject(new Error(`${command.join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve();
    });
  });
}

function userName(home: string): string {
  return home.split('/').filter(Boolean).pop() ?? '$USER';
}
