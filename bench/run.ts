/**
 * `npm run bench [-- --quick] [-- --json] [-- --only throughput,latency] [-- --no-tls] [-- --keep]`
 *
 * Runs the benchmarks one after another (never two at once: they would measure each other), prints
 * a table, and writes bench/results/latest.json (+ the throughput chart). Every ratio compares
 * figures measured in this same run, so it survives a noisy machine.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCeiling } from './ceiling.ts';
import { runFleet } from './fleet.ts';
import { runFootprint } from './footprint.ts';
import { runLatency } from './latency.ts';
import { lineChart } from './lib/chart.ts';
import { machineInfo } from './lib/machine.ts';
import { ROOT } from './lib/processes.ts';
import { markdownTable, table } from './lib/report.ts';
import { round } from './lib/stats.ts';
import { runRecovery } from './recovery.ts';
import { runThroughput, type ThroughputResult } from './throughput.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-tls': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    // Overrides for profiling one configuration: --workers 4 --tasks 100000 --paths tcp
    workers: { type: 'string' },
    tasks: { type: 'string' },
    paths: { type: 'string' },
    // V8 flags for the main node only, e.g. --main-node-options=--max-semi-space-size=2
    'main-node-options': { type: 'string' },
  },
});
if (values['main-node-options']) process.env.BENCH_MAIN_NODE_OPTIONS = values['main-node-options'];

const quick = values.quick!;
const tls = !values['no-tls'];
const PLAN = quick
  ? {
      throughput: { workers: [4], tasks: 20_000, warmup: 2_000 },
      ceiling: { seconds: 2 },
      latency: { samples: 300, warmup: 50 },
      fleet: { devices: 2_000, intervalS: 5, durationS: 12 },
      footprint: { seconds: 3 },
      recovery: { tasks: 100_000 },
    }
  : {
      throughput: { workers: [1, 2, 4, 8], tasks: 60_000, warmup: 5_000 },
      ceiling: { seconds: 4 },
      latency: { samples: 2_000, warmup: 200 },
      fleet: { devices: 10_000, intervalS: 5, durationS: 60 },
      footprint: { seconds: 5 },
      recovery: { tasks: 100_000 },
    };
if (values.workers) PLAN.throughput.workers = values.workers.split(',').map(Number);
if (values.tasks) PLAN.throughput.tasks = Number(values.tasks);
const PATHS = (values.paths?.split(',') ?? ['tcp', 'http']) as ('tcp' | 'http')[];
const ALL = ['throughput', 'ceiling', 'latency', 'fleet', 'footprint', 'recovery'] as const;
type Bench = (typeof ALL)[number];
const only = new Set((values.only?.split(',') ?? ALL).map((s) => s.trim()) as Bench[]);
const HEADLINE_WORKERS = 4;

// The workers run dist/worker.cjs: built from the sources now, so a fresh clone works and a stale
// bundle is never what gets measured.
const build = spawnSync(process.execPath, ['scripts/buildWorker.ts'], { cwd: ROOT, encoding: 'utf8' });
if (build.status !== 0) {
  console.error(`building dist/worker.cjs failed:\n${build.stdout}${build.stderr}`);
  process.exit(1);
}

const results = join(ROOT, 'bench/results');
mkdirSync(results, { recursive: true });
const runDir = mkdtempSync(join(tmpdir(), 'rc-bench-'));
const machine = machineInfo();
const figures: Record<string, unknown> = {};
const details: Record<string, unknown> = {};
const failures: string[] = [];
const started = performance.now();

function progress(text: string): void {
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${text}\n`);
}

async function step<T>(name: string, run: () => Promise<T>): Promise<T | null> {
  progress(`${name} ...`);
  try {
    const result = await run();
    progress(`${name}: ${JSON.stringify(result)}`);
    return result;
  } catch (error) {
    failures.push(`${name}: ${(error as Error).message}`);
    progress(`${name} FAILED: ${(error as Error).stack}`);
    return null;
  }
}

/**
 * A full run of everything, with the default plan and transport, is what bench/README.md shows
 * (its table and chart); a partial or overridden run writes bench/results/ only.
 */
const fullRun = () =>
  !quick &&
  !values.only &&
  tls &&
  !values.workers &&
  !values.tasks &&
  !values.paths &&
  !values['main-node-options'] &&
  failures.length === 0;

const throughput: ThroughputResult[] = [];
const ceilings = new Map<number, number>();
for (const workers of PLAN.throughput.workers) {
  if (only.has('throughput')) {
    for (const path of PATHS) {
      const r = await step(`throughput ${path} W=${workers}`, () =>
        runThroughput({
          dir: runDir,
          workers,
          path,
          tls,
          batchSize: 500,
          tasks: PLAN.throughput.tasks,
          warmup: PLAN.throughput.warmup,
        }),
      );
      if (r) throughput.push(r);
      // Deleted now, its dirty pages are dropped; kept, the kernel would write them back during the
      // next runs (over 100 MB per run), on the same two cores they are measured on.
      if (!values.keep)
        rmSync(join(runDir, `throughput-${path}-w${workers}`, 'data'), { recursive: true, force: true });
    }
  }
  if (only.has('ceiling') || only.has('throughput')) {
    const r = await step(`ceiling W=${workers}`, () =>
      runCeiling({ dir: runDir, workers, tls, seconds: PLAN.ceiling.seconds }),
    );
    if (r) ceilings.set(workers, r.tasks_per_s);
  }
}
const at = (path: string, w: number) => throughput.find((r) => r.path === path && r.workers === w);
figures.throughput_tasks_per_s = at('tcp', HEADLINE_WORKERS)?.tasks_per_s ?? null;
figures.throughput_http_tasks_per_s = at('http', HEADLINE_WORKERS)?.tasks_per_s ?? null;
figures.ceiling_tasks_per_s = ceilings.get(HEADLINE_WORKERS) ?? null;
const headline = at('tcp', HEADLINE_WORKERS);
const ceiling = ceilings.get(HEADLINE_WORKERS);
figures.throughput_ceiling_ratio = headline && ceiling ? round(headline.tasks_per_s / ceiling, 3) : null;
details.throughput = throughput.map((r) => ({
  ...r,
  ceiling_tasks_per_s: ceilings.get(r.workers) ?? null,
  ratio: ceilings.get(r.workers) ? round(r.tasks_per_s / ceilings.get(r.workers)!, 3) : null,
}));
details.ceiling = Object.fromEntries(ceilings);

if (only.has('latency')) {
  const r = await step('latency', () => runLatency({ dir: runDir, tls, ...PLAN.latency }));
  details.latency = r;
  figures.latency_p50_ms = r?.tcp.result_p50_ms ?? null;
  figures.latency_p99_ms = r?.tcp.result_p99_ms ?? null;
  figures.latency_start_p50_ms = r?.tcp.start_p50_ms ?? null;
  figures.latency_start_p99_ms = r?.tcp.start_p99_ms ?? null;
  figures.latency_http_p50_ms = r?.http.result_p50_ms ?? null;
  figures.latency_http_p99_ms = r?.http.result_p99_ms ?? null;
  figures.latency_http_start_p50_ms = r?.http.start_p50_ms ?? null;
  figures.latency_http_start_p99_ms = r?.http.start_p99_ms ?? null;
}

if (only.has('fleet')) {
  const r = await step('fleet', () => runFleet({ dir: runDir, tls, ...PLAN.fleet }));
  details.fleet = r;
  figures.fleet_devices = r?.devices ?? null;
  figures.fleet_register_s = r?.register_s ?? null;
  figures.fleet_cpu_percent = r?.cpu_percent ?? null;
  figures.fleet_rss_mb = r?.rss_mb ?? null;
  figures.fleet_bytes_per_device = r?.bytes_per_device ?? null;
}

if (only.has('footprint')) {
  const r = await step('footprint', () => runFootprint({ dir: runDir, tls, ...PLAN.footprint }));
  details.footprint = r;
  figures.worker_idle_rss_mb = r?.worker_idle_rss_mb ?? null;
}

if (only.has('recovery')) {
  const r = await step('recovery', () => runRecovery({ dir: runDir, tls, ...PLAN.recovery }));
  details.recovery = r;
  figures.recovery_100k_s = r?.dispatch_s ?? null;
}

const output = {
  ...figures,
  mode: quick ? 'quick' : 'full',
  transport: tls ? 'tls' : 'tcp',
  main_node_options: values['main-node-options'] ?? null,
  seconds: round((performance.now() - started) / 1000, 1),
  measured_at: new Date().toISOString(),
  machine,
  details,
  failures,
};
writeFileSync(join(results, 'latest.json'), JSON.stringify(output, null, 2) + '\n');
writeFileSync(join(results, 'latest.md'), markdownTable(figures) + '\n');
if (throughput.length > 0) {
  const series = (path: string, name: string, color: string) => ({
    name,
    color,
    points: throughput.filter((r) => r.path === path).map((r) => ({ x: r.workers, y: r.tasks_per_s })),
  });
  // The raw ceiling is an order of magnitude higher: drawn to scale it would flatten the lines that
  // matter, so it is given as numbers instead.
  const ceilingNote = [...ceilings].map(([w, t]) => `W=${w}: ${Math.round(t / 1000)}k`).join(', ');
  const chart = lineChart(
    `Retire-Cluster durable throughput, echo tasks (${machine.cores} cores, ${output.transport})`,
    'worker processes (W), 16 slots each',
    'durable tasks/s',
    [series('tcp', 'TCP submit', '#1f77b4'), series('http', 'HTTP submit', '#ff7f0e')],
    ceilingNote ? `raw NDJSON ceiling (not drawn): ${ceilingNote} tasks/s` : '',
    [{ y: 20_000, label: 'target at W=4: 20,000' }],
  );
  writeFileSync(join(results, 'throughput.svg'), chart);
  if (fullRun()) copyFileSync(join(results, 'throughput.svg'), join(ROOT, 'bench/chart.svg'));
}
if (fullRun()) await updateReadme(markdownTable(figures), output);
if (!values.keep) rmSync(runDir, { recursive: true, force: true });
else progress(`kept ${runDir}`);

console.log(table(figures));
if (failures.length > 0) console.log(`\nfailed: ${failures.join('; ')}`);
console.log(
  `\n${output.mode} run, ${output.transport}, ${output.seconds} s; results in bench/results/latest.json`,
);
if (values.json) console.log(JSON.stringify(output));
process.exitCode = failures.length > 0 ? 1 : 0;

async function updateReadme(tableText: string, run: { seconds: number; measured_at: string }): Promise<void> {
  const path = join(ROOT, 'bench/README.md');
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf('<!-- bench:table');
  const end = text.indexOf('<!-- /bench:table -->');
  if (start === -1 || end === -1) return;
  const open = text.indexOf('-->', start) + 3;
  const block = `\n${tableText}\n\nMeasured ${run.measured_at.slice(0, 16).replace('T', ' ')} UTC in ${run.seconds} s (load average ${machine.load_avg_1m} at the start).\n`;
  // Formatted as `npm run check` expects, so a bench run leaves the tree clean.
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(path)) ?? {};
  writeFileSync(
    path,
    await prettier.format(text.slice(0, open) + block + text.slice(end), { ...options, filepath: path }),
  );
}
