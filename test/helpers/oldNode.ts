import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './processes.ts';

/**
 * An older Node to prove the worker bundle needs no more than Node 18: the Node 18 that .ci/run
 * installs into .cache/node18 (npm's `node@18` package), else the machine's own older node.
 */
export function oldNode(): { path: string; version: string } | null {
  const candidates = [
    process.env.RC_OLD_NODE,
    join(ROOT, '.cache/node18/node_modules/.bin/node'),
    '/usr/bin/node',
  ];
  for (const path of candidates) {
    if (!path || !existsSync(path)) continue;
    const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
    if (Number(version.slice(1).split('.')[0]) < 24) return { path, version };
  }
  return null;
}
