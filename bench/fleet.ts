/**
 * `fleet`: a simulator process connects S devices that register and heartbeat every 5 s. Measured on
 * the main node: how long the registration storm takes (in the simulator), its CPU (percent of one
 * core) and RSS while the fleet only heartbeats, and the memory each connection costs.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { hardOpenFilesLimit, openFilesLimit } from './lib/machine.ts';
import { CpuMeter, cpuSeconds, mainThreadCpuSeconds, rssBytes } from './lib/procStats.ts';
import { BenchMain, PROFILE_DIR, ROOT, stopAll, withOpenFiles } from './lib/processes.ts';
import { median, round } from './lib/stats.ts';
import { sleep } from './lib/wait.ts';

export interface FleetOptions {
  dir: string;
  devices: number;
  intervalS: number;
  /** How long the fleet heartbeats after registering. */
  durationS: number;
  tls: boolean;
}

export interface FleetResult {
  devices: number;
  /** The devices asked for, when the open-file limit made us simulate fewer. */
  devices_requested: number;
  register_s: number;
  /** CPU seconds the main node used from the simulator's start to the last registration. */
  register_main_cpu_s: number;
  /**
   * The same for the main node's main thread alone: the serial part of its work, so the least the
   * storm could take if the devices' side of it ran on their own CPUs rather than on this machine's.
   */
  register_main_thread_cpu_s: number;
  /** CPU seconds the simulator used for the same. */
  register_simulator_cpu_s: number;
  cpu_percent: number;
  rss_mb: number;
  idle_rss_mb: number;
  bytes_per_device: number;
  heartbeats_sent: number;
  heartbeat_acks: number;
  errors: number;
  open_files_limit: number | null;
  bounded_by: string | null;
  /** The main node's own view (GET /metrics) at the end: where the resident memory is. */
  heap_used_mb: number | null;
  heap_total_mb: number | null;
  external_mb: number | null;
}

/** File descriptors a process needs besides its connections (store, logs, listeners, libuv). */
const SPARE_FDS = 200;

export async function runFleet(options: FleetOptions): Promise<FleetResult> {
  const dir = join(options.dir, 'fleet');
  // Each device is one socket in the main node and one in the simulator: both need S + spare fds.
  const hard = hardOpenFilesLimit();
  const needed = options.devices + SPARE_FDS;
  const openFiles = hard === null ? needed : Math.min(hard, needed);
  const devices = hard === null ? options.devices : Math.min(options.devices, hard - SPARE_FDS);
  const boundedBy =
    devices < options.devices ? `open-file hard limit ${hard} (raise it with ulimit -Hn as root)` : null;

  const main = await BenchMain.start({
    dir,
    tls: options.tls,
    openFiles: Math.max(openFiles, openFilesLimit() ?? 0),
    args: ['--heartbeat-interval', String(options.intervalS)],
  });
  try {
    await sleep(1000);
    const idleRss = rssBytes(main.pid);
    const mainCpuBefore = cpuSeconds(main.pid);
    const mainThreadCpuBefore = mainThreadCpuSeconds(main.pid);
    const [command, args] = withOpenFiles(openFiles, process.execPath, [
      ...simulatorProfileFlags(),
      join(ROOT, 'bench/fleetSimulator.ts'),
      String(main.tcpPort),
      main.tls ? '1' : '0',
      main.joinToken,
      String(devices),
      String(options.intervalS),
      String(options.durationS),
    ]);
    const simulator = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const reports = new Map<string, any>();
    let waiting: ((event: string) => void) | null = null;
    let buffer = '';
    simulator.stdout.setEncoding('utf8');
    simulator.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) !== -1) {
        const report = JSON.parse(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        reports.set(report.event, report);
        waiting?.(report.event);
      }
    });
    const exited = new Promise<number | null>((resolve) => simulator.once('exit', resolve));
    const next = (event: string) =>
      new Promise<any>((resolve, reject) => {
        const check = () => {
          if (reports.has('failed'))
            reject(new Error(`fleet simulator failed: ${reports.get('failed').error}`));
          else if (reports.has(event)) resolve(reports.get(event));
        };
        waiting = check;
        check();
        void exited.then(() => {
          check();
          reject(new Error('fleet simulator exited early'));
        });
      });

    const registered = await next('registered');
    const mainStormCpu = cpuSeconds(main.pid) - mainCpuBefore;
    const mainThreadStormCpu = mainThreadCpuSeconds(main.pid) - mainThreadCpuBefore;
    // One whole interval first: every device has then beaten once and the storm's garbage is gone.
    await sleep(options.intervalS * 1000);
    const cpu = new CpuMeter(main.pid);
    const rss: number[] = [];
    const window = options.durationS - options.intervalS - 1;
    for (let s = 0; s < window; s++) {
      await sleep(1000);
      rss.push(rssBytes(main.pid));
    }
    const cpuPercent = cpu.percent();
    const memory = await heapMetrics(main);
    const done = await next('done');
    await exited;
    const steadyRss = median(rss);
    return {
      devices,
      devices_requested: options.devices,
      register_s: round(registered.seconds, 3),
      register_main_cpu_s: round(mainStormCpu, 2),
      register_main_thread_cpu_s: round(mainThreadStormCpu, 2),
      register_simulator_cpu_s: round(registered.cpu_seconds, 2),
      cpu_percent: round(cpuPercent, 1),
      rss_mb: round(steadyRss / 1024 ** 2, 1),
      idle_rss_mb: round(idleRss / 1024 ** 2, 1),
      bytes_per_device: Math.round((steadyRss - idleRss) / devices),
      heartbeats_sent: done.heartbeats_sent,
      heartbeat_acks: done.heartbeat_acks,
      errors: done.errors,
      open_files_limit: openFiles,
      bounded_by: boundedBy,
      ...memory,
    };
  } finally {
    await stopAll([main]);
  }
}

/** `BENCH_PROFILE=simulator` runs the simulator under `--cpu-prof` (bench/results/profiles/simulator/). */
function simulatorProfileFlags(): string[] {
  if (!(process.env.BENCH_PROFILE ?? '').split(',').includes('simulator')) return [];
  const dir = join(PROFILE_DIR, 'simulator');
  mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/** Heap and external memory from the main node's Prometheus endpoint (prom-client's defaults). */
async function heapMetrics(main: BenchMain) {
  const empty = { heap_used_mb: null, heap_total_mb: null, external_mb: null };
  try {
    const response = await fetch(`${main.url}/metrics`, {
      headers: { authorization: `Bearer ${main.apiToken}` },
    });
    const text = await response.text();
    const value = (name: string) => {
      const match = new RegExp(`^${name} (\\S+)`, 'm').exec(text);
      return match ? round(Number(match[1]) / 1024 ** 2, 1) : null;
    };
    return {
      heap_used_mb: value('nodejs_heap_size_used_bytes'),
      heap_total_mb: value('nodejs_heap_size_total_bytes'),
      external_mb: value('nodejs_external_memory_bytes'),
    };
  } catch {
    return empty;
  }
}
