/**
 * Where the package's own files are, whether this code runs from src/ (a checkout) or from a build.
 * Found by walking up to our package.json, so moving a file never breaks a relative path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'retire-cluster'
    ) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the retire-cluster package above ${start}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const WORKER_BUNDLE = join(PACKAGE_ROOT, 'dist', 'worker.cjs');
const WORKER_SOURCE = join(PACKAGE_ROOT, 'src', 'worker', 'main.ts');

/** The worker program to spawn: the sources under Node 24 in a checkout, else the bundle. */
export function workerEntry(): string {
  return existsSync(WORKER_SOURCE) && import.meta.url.endsWith('.ts') ? WORKER_SOURCE : WORKER_BUNDLE;
}
