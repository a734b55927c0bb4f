/** The machine a run was measured on: figures from different machines are not comparable. */
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';

export interface MachineInfo {
  cores: number;
  cpu_model: string;
  memory_gb: number;
  node_version: string;
  platform: string;
  /** The 1-minute load average when the run started: a busy machine explains slow figures. */
  load_avg_1m: number;
  open_files_limit: number | null;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cores: list.length,
    cpu_model: list[0]?.model.trim() ?? 'unknown',
    memory_gb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node_version: process.version,
    platform: `${process.platform}-${process.arch}`,
    load_avg_1m: Math.round(loadavg()[0]! * 100) / 100,
    open_files_limit: openFilesLimit(),
  };
}

/** The soft limit of this process (Linux only), which the processes the bench starts inherit. */
export function openFilesLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? null : Number(soft);
  } catch {
    return null;
  }
}

export function hardOpenFilesLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const hard = line?.split(/\s{2,}/)[2];
    return hard === undefined || hard === 'unlimited' ? null : Number(hard);
  } catch {
    return null;
  }
}
