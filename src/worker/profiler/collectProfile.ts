import type { DeviceProfile } from '../../protocol/messages.ts';
import { probeShell, probeTermuxApi } from './capabilities.ts';
import { probeCpuCount, probeCpuModel } from './cpu.ts';
import { guarded } from './guarded.ts';
import { probeGpu } from './gpu.ts';
import { probeMemory } from './memory.ts';
import { probePlatform } from './platform.ts';
import type { ProbeEnvironment } from './probeEnvironment.ts';
import { probePythonVersion } from './python.ts';
import { probeStorage } from './storage.ts';

export interface CollectProfileOptions {
  deviceId: string;
  role: string;
  tags: string[];
  taskTypes: string[];
  maxConcurrentTasks: number;
  environment: ProbeEnvironment;
}

// Longer than any single probe's own timeout; only a probe stuck in a driver ever reaches it.
const PROBE_TIMEOUT_MS = 10_000;

/** What the worker says about itself at register (DESIGN §5); unknown values are null. */
export async function collectProfile(options: CollectProfileOptions): Promise<DeviceProfile> {
  const { environment } = options;
  const [platform, cpuModel, memory, storage, gpu, pythonVersion, shell, termuxApi] = await Promise.all([
    guarded(
      () => probePlatform(environment),
      { platform: environment.platform, arch: process.arch, hostname: 'unknown', is_termux: false },
      PROBE_TIMEOUT_MS,
    ),
    guarded(() => probeCpuModel(environment), null, PROBE_TIMEOUT_MS),
    guarded(
      () => probeMemory(environment),
      { total_gb: 0, available_gb: null, percent: null },
      PROBE_TIMEOUT_MS,
    ),
    guarded(() => probeStorage(environment.stateDir), { total_gb: null, free_gb: null }, PROBE_TIMEOUT_MS),
    guarded(() => probeGpu(environment), null, PROBE_TIMEOUT_MS),
    guarded(() => probePythonVersion(environment), null, PROBE_TIMEOUT_MS),
    guarded(() => probeShell(environment), false, PROBE_TIMEOUT_MS),
    guarded(() => probeTermuxApi(environment), false, PROBE_TIMEOUT_MS),
  ]);
  return {
    device_id: options.deviceId,
    role: options.role,
    platform: platform.platform,
    arch: platform.arch,
    hostname: platform.hostname,
    cpu_count: probeCpuCount(),
    cpu_model: cpuModel,
    memory_total_gb: memory.total_gb,
    storage_total_gb: storage.total_gb,
    gpu,
    node_version: process.version,
    python_version: pythonVersion,
    is_termux: platform.is_termux,
    tags: [...options.tags],
    capabilities: { python: pythonVersion !== null, shell, termux_api: termuxApi },
    task_types: [...options.taskTypes],
    max_concurrent_tasks: options.maxConcurrentTasks,
  };
}
