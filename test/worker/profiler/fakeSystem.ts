import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProbeEnvironment } from '../../../src/worker/profiler/probeEnvironment.ts';

/** Writes `files` (path relative to `root` -> content) as a fake sysfs/proc tree. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [relative, content] of Object.entries(files)) {
    const path = join(root, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

/** A fake command on a fake PATH (POSIX shell script). */
export function writeCommand(binDir: string, name: string, script: string): void {
  const path = join(binDir, name);
  mkdirSync(binDir, { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
}

/** An environment that sees only the fake tree under `root`: PATH is `root/bin`. */
export function fakeEnvironment(root: string, overrides: Partial<ProbeEnvironment> = {}): ProbeEnvironment {
  return {
    sysfsRoot: join(root, 'sys'),
    procRoot: join(root, 'proc'),
    env: { PATH: join(root, 'bin') },
    stateDir: join(root, 'state'),
    platform: 'linux',
    ...overrides,
  };
}

export function battery(name: string, fields: Record<string, string>): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [field, value] of Object.entries(fields)) {
    files[`sys/class/power_supply/${name}/${field}`] = `${value}\n`;
  }
  return files;
}
