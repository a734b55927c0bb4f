/** `footprint`: the resident memory of an idle `node dist/worker.cjs` once it has joined. */
import { join } from 'node:path';
import { privateBytes, rssBytes } from './lib/procStats.ts';
import { BenchMain, BenchProcess, startWorkers, stopAll } from './lib/processes.ts';
import { median, round } from './lib/stats.ts';
import { sleep } from './lib/wait.ts';

export interface FootprintOptions {
  dir: string;
  tls: boolean;
  /** Seconds of idling sampled once a second, after a first settling second. */
  seconds: number;
}

export interface FootprintResult {
  worker_idle_rss_mb: number;
  /** Of that, what is the worker's own (not the node binary's pages, shared by every Node process). */
  worker_idle_private_mb: number;
  worker_idle_pss_mb: number;
  /** The same node binary running an empty timer: what Node itself costs here. */
  empty_node_rss_mb: number;
  main_idle_rss_mb: number;
}

export async function runFootprint(options: FootprintOptions): Promise<FootprintResult> {
  const dir = join(options.dir, 'footprint');
  const main = await BenchMain.start({ dir, tls: options.tls });
  let workers: Awaited<ReturnType<typeof startWorkers>> = [];
  try {
    workers = await startWorkers(main, dir, 1);
    await sleep(1000);
    const samples: number[] = [];
    for (let s = 0; s < options.seconds; s++) {
      await sleep(1000);
      samples.push(rssBytes(workers[0]!.pid));
    }
    const own = privateBytes(workers[0]!.pid);
    return {
      worker_idle_rss_mb: round(median(samples) / 1024 ** 2, 1),
      worker_idle_private_mb: round(own.private / 1024 ** 2, 1),
      worker_idle_pss_mb: round(own.pss / 1024 ** 2, 1),
      empty_node_rss_mb: round((await emptyNodeRss(dir)) / 1024 ** 2, 1),
      main_idle_rss_mb: round(rssBytes(main.pid) / 1024 ** 2, 1),
    };
  } finally {
    await stopAll([...workers, main]);
  }
}

async function emptyNodeRss(dir: string): Promise<number> {
  const proc = new BenchProcess(
    process.execPath,
    ['-e', 'setInterval(() => {}, 1000)'],
    join(dir, 'empty.log'),
  );
  try {
    await sleep(1500);
    return rssBytes(proc.pid);
  } finally {
    await proc.stop();
  }
}
