import { readdir } from '../fsAsync.ts';
import { childPath } from '../childPath.ts';
import type { ProbeEnvironment } from './probeEnvironment.ts';
import { pathExists, readText } from './readText.ts';

/**
 * Only what the NVIDIA driver states: tasks that require a GPU mean CUDA in practice, and an
 * integrated or unsupported GPU reported here would get them placed where they cannot run.
 */
export async function probeGpu(environment: ProbeEnvironment, devRoot = '/dev'): Promise<string | null> {
  if (environment.platform !== 'linux') return null;
  try {
    const models = await readNvidiaModels(environment.procRoot);
    if (models.length > 0) return models.join(', ');
    const driverLoaded =
      (await pathExists(childPath(environment.procRoot, 'driver', 'nvidia', 'version'))) ||
      (await pathExists(childPath(devRoot, 'nvidia0')));
    return driverLoaded ? 'NVIDIA GPU' : null;
  } catch {
    return null;
  }
}

async function readNvidiaModels(procRoot: string): Promise<string[]> {
  const gpusDir = childPath(procRoot, 'driver', 'nvidia', 'gpus');
  let buses: string[];
  try {
    buses = (await readdir(gpusDir)).sort();
  } catch {
    return [];
  }
  const models: string[] = [];
  for (const bus of buses) {
    const information = await readText(childPath(gpusDir, bus, 'information'));
    const model = information === null ? undefined : /^Model:\s*(.+)$/m.exec(information)?.[1]?.trim();
    if (model) models.push(model);
  }
  return models;
}
