/** `--require k=v` flags into a task's requirements; short names for the common ones. */
import type { TaskRequirements } from '../core/task.ts';

const KEYS: Record<string, keyof TaskRequirements> = {
  cores: 'min_cpu_cores',
  cpu: 'min_cpu_cores',
  min_cpu_cores: 'min_cpu_cores',
  memory: 'min_memory_gb',
  min_memory_gb: 'min_memory_gb',
  storage: 'min_storage_gb',
  min_storage_gb: 'min_storage_gb',
  platform: 'required_platform',
  required_platform: 'required_platform',
  role: 'required_role',
  required_role: 'required_role',
  tag: 'required_tags',
  tags: 'required_tags',
  required_tags: 'required_tags',
  gpu: 'gpu_required',
  gpu_required: 'gpu_required',
  device: 'device_id',
  device_id: 'device_id',
};

export function parseRequirements(pairs: readonly string[]): TaskRequirements {
  const req: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--require takes key=value, got "${pair}"`);
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const key = KEYS[name];
    if (!key) throw new Error(`unknown requirement "${name}" (known: ${Object.keys(KEYS).join(', ')})`);
    if (key === 'required_tags') {
      req[key] = [...((req[key] as string[] | undefined) ?? []), ...value.split(',').filter(Boolean)];
    } else if (key === 'gpu_required') {
      req[key] = !/^(0|false|no)$/i.test(value);
    } else if (key.startsWith('min_')) {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`--require ${name} needs a number, got "${value}"`);
      req[key] = n;
    } else {
      req[key] = value;
    }
  }
  return req as TaskRequirements;
}
