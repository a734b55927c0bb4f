import { access, readFile } from '../fsAsync.ts';

// A missing or unreadable file is the normal way sysfs/proc say "not on this device" (or SELinux
// says "not for you" on Android), so it is reported as null rather than as an error.
export async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
