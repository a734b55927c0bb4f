/**
 * `throughput`: a main node on a fresh data dir (durable store, as in production) with W worker
 * processes (`--max-tasks 16`); N no-op `echo` tasks submitted in batches; tasks/s from the first
 * submit to the moment the store holds no unfinished task (so the last result is durable).
 */
import { join } from 'node:path';
import { CpuMeter, cpuSeconds } from './lib/procStats.ts';
import { BenchMain, startWorkers, stopAll } from './lib/processes.ts';
import { round } from './lib/stats.ts';
import { type SubmitPath, submitAll } from './lib/submit.ts';
import { sleep } from './lib/wait.ts';

export interface ThroughputOptions {
  dir: string;
  workers: number;
  path: SubmitPath;
  tasks: number;
  warmup: number;
  tls: boolean;
  batchSize: number;
}

export interface ThroughputResult {
  workers: number;
  path: SubmitPath;
  tasks: number;
  seconds: number;
  tasks_per_s: number;
  /** Until the last batch was acknowledged (durable), from the first submit. */
  submit_seconds: number;
  main_cpu_percent: number;
  /** CPU time per task: unlike tasks/s, these hold on a machine busy with other work. */
  main_cpu_us_per_task: number;
  workers_cpu_us_per_task: number;
}

export async function runThroughput(options: ThroughputOptions): Promise<ThroughputResult> {
  const dir = join(options.dir, `throughput-${options.path}-w${options.workers}`);
  const main = await BenchMain.start({ dir, tls: options.tls });
  let workers: Awaited<ReturnType<typeof startWorkers>> = [];
  try {
    workers = await startWorkers(main, dir, options.workers);
    // Warm-up: the JIT of every process on the path, and the first pages of the store.
    await submitAll({
      main,
      path: options.path,
      total: options.warmup,
      batchSize: options.batchSize,
      window: 2,
    });
    await waitUntilDone(main, 60_000);

    const cpu = new CpuMeter(main.pid);
    const mainCpu0 = cpuSeconds(main.pid);
    const workersCpu0 = workers.reduce((sum, w) => sum + cpuSeconds(w.pid), 0);
    const start = performance.now();
    await submitAll({
      main,
      path: options.path,
      total: options.tasks,
      batchSize: options.batchSize,
      window: 4,
    });
    const submitted = performance.now();
    await waitUntilDone(main, 300_000);
    const end = performance.now();
    const mainCpu = cpu.percent();
    const mainCpuS = cpuSeconds(main.pid) - mainCpu0;
    const workersCpuS = workers.reduce((sum, w) => sum + cpuSeconds(w.pid), 0) - workersCpu0;

    const succeeded = await main.tasksWithStatus('success');
    if (succeeded !== options.tasks + options.warmup) {
      throw new Error(
        `expected ${options.tasks + options.warmup} successful tasks, the store has ${succeeded}`,
      );
    }
    const seconds = (end - start) / 1000;
    return {
      workers: options.workers,
      path: options.path,
      tasks: options.tasks,
      seconds: round(seconds, 3),
      tasks_per_s: Math.round(options.tasks / seconds),
      submit_seconds: round((submitted - start) / 1000, 3),
      main_cpu_percent: Math.round(mainCpu),
      main_cpu_us_per_task: round((mainCpuS * 1e6) / options.tasks, 1),
      workers_cpu_us_per_task: round((workersCpuS * 1e6) / options.tasks, 1),
    };
  } finally {
    await stopAll([...workers, main]);
  }
}

/**
 * Resolves when the store holds no unfinished task; the poll that saw it ends the measurement.
 * Polls cost the main node CPU, so they come often only near the end: the next one is due when
 * about half of what remains should be done at the rate seen so far (2 to 100 ms apart).
 */
async function waitUntilDone(main: BenchMain, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = { at: performance.now(), remaining: await main.unfinishedTasks() };
  let rate = 0;
  while (last.remaining > 0) {
    if (performance.now() > deadline) throw new Error(`${last.remaining} tasks still unfinished`);
    const wait = rate > 0 ? (last.remaining / rate) * 0.5 : 20;
    await sleep(Math.min(100, Math.max(2, wait)));
    const now = { at: performance.now(), remaining: await main.unfinishedTasks() };
    const done = last.remaining - now.remaining;
    if (done > 0) rate = done / (now.at - last.at);
    last = now;
  }
}
