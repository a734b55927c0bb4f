/** `footprint`: the resident memory of an idle `node dist/worker.cjs` once it has joined. */
import { writeFileSync } from 'node:fs';
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
  /**
   * The same binary with nothing but the link a worker keeps: `tls` (or `net`) loaded and one idle
   * connection to the main node, handshake done, the peer certificate read. The floor for any worker.
   */
  link_only_rss_mb: number;
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
      link_only_rss_mb: round((await linkOnlyRss(dir, main.tcpPort, options.tls)) / 1024 ** 2, 1),
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

async function linkOnlyRss(dir: string, port: number, tls: boolean): Promise<number> {
  const connect = tls
    ? `const s = require('tls').connect({ host: '127.0.0.1', port: ${port}, rejectUnauthorized: false });
       s.on('secureConnect', () => s.getPeerCertificate());`
    : `const s = require('net').connect({ host: '127.0.0.1', port: ${port} });`;
  // A file, as the worker is: `node -e` alone costs ~1 MB more.
  const script = join(dir, 'link-only.cjs');
  writeFileSync(
    script,
    `${connect}\ns.on('error', () => {});\ns.on('data', () => {});\nsetInterval(() => {}, 1000);\n`,
  );
  const proc = new BenchProcess(process.execPath, [script], join(dir, 'link-only.log'));
  try {
    // Sampled within the main node's window for a connection to authenticate (10 s).
    await sleep(1500);
    return rssBytes(proc.pid);
  } finally {
    await proc.stop();
  }
}
