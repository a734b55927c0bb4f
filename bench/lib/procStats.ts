/** CPU time and memory of another process, read from /proc (Linux): what `top` would show. */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds the process has used so far (all its threads). */
export function cpuSeconds(pid: number): number {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/**
 * CPU seconds of the process's main thread alone (its JavaScript event loop), without V8's
 * garbage-collector helpers and libuv's thread pool, which may run on other cores meanwhile.
 */
export function mainThreadCpuSeconds(pid: number): number {
  return statCpuSeconds(`/proc/${pid}/task/${pid}/stat`);
}

function statCpuSeconds(path: string): number {
  const stat = readFileSync(path, 'utf8');
  // The command name may hold spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident set size in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/**
 * Memory the process does not share with other processes: its own heap and buffers, without the
 * pages of the node binary and libraries that every Node process on the machine maps too.
 */
export function privateBytes(pid: number): { private: number; pss: number } {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
  return { private: (kb('Private_Dirty') + kb('Private_Clean')) * 1024, pss: kb('Pss') * 1024 };
}

/** Measures one process's CPU use over a window, as a percent of one core. */
export class CpuMeter {
  readonly pid: number;
  #cpu: number;
  #at: number;

  constructor(pid: number) {
    this.pid = pid;
    this.#cpu = cpuSeconds(pid);
    this.#at = performance.now();
  }

  percent(): number {
    const cpu = cpuSeconds(this.pid) - this.#cpu;
    const wall = (performance.now() - this.#at) / 1000;
    return wall > 0 ? (cpu / wall) * 100 : 0;
  }
}
