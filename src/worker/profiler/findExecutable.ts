import { constants } from 'node:fs';
import { access, stat } from '../fsAsync.ts';
import { childPath } from '../childPath.ts';

/** Looks `name` up on the PATH of `env` (not the worker's own), so tests can fake installed commands. */
export async function findExecutable(
  name: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
): Promise<string | null> {
  const windows = platform === 'win32';
  // Windows spells it `Path` and matches environment names case-insensitively.
  const pathKey = windows ? Object.keys(env).find((key) => key.toUpperCase() === 'PATH') : 'PATH';
  const pathValue = pathKey === undefined ? undefined : env[pathKey];
  if (!pathValue) return null;
  const extensions = windows ? ['', ...(env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';')] : [''];
  for (const dir of pathValue.split(windows ? ';' : ':')) {
    if (dir === '') continue;
    for (const extension of extensions) {
      const candidate = childPath(dir, name + extension);
      if (await isExecutableFile(candidate, windows)) return candidate;
    }
  }
  return null;
}

async function isExecutableFile(path: string, windows: boolean): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, windows ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
