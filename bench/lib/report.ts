/** The human-readable table: each headline figure beside its target. */
export interface Target {
  key: string;
  label: string;
  unit: string;
  /** `<=` or `>=` the bound; `<` where the issue says "under". */
  op: '<=' | '>=' | '<';
  bound: number;
}

export const TARGETS: readonly Target[] = [
  {
    key: 'throughput_tasks_per_s',
    label: 'throughput, 4 workers, TCP submit',
    unit: 'tasks/s',
    op: '>=',
    bound: 20_000,
  },
  {
    key: 'throughput_http_tasks_per_s',
    label: 'throughput, 4 workers, HTTP batches of 500',
    unit: 'tasks/s',
    op: '>=',
    bound: 15_000,
  },
  {
    key: 'ceiling_tasks_per_s',
    label: 'ceiling: raw NDJSON echo, 4 processes',
    unit: 'tasks/s',
    op: '>=',
    bound: 0,
  },
  { key: 'throughput_ceiling_ratio', label: 'throughput / ceiling', unit: '', op: '>=', bound: 0.15 },
  {
    key: 'latency_start_p50_ms',
    label: 'latency submit->start p50, TCP',
    unit: 'ms',
    op: '<=',
    bound: Infinity,
  },
  { key: 'latency_p50_ms', label: 'latency submit->result p50, TCP', unit: 'ms', op: '<=', bound: 1 },
  { key: 'latency_p99_ms', label: 'latency submit->result p99, TCP', unit: 'ms', op: '<=', bound: 3 },
  {
    key: 'latency_http_start_p50_ms',
    label: 'latency submit->start p50, HTTP',
    unit: 'ms',
    op: '<=',
    bound: Infinity,
  },
  { key: 'latency_http_p50_ms', label: 'latency submit->result p50, HTTP', unit: 'ms', op: '<=', bound: 2 },
  {
    key: 'latency_http_p99_ms',
    label: 'latency submit->result p99, HTTP',
    unit: 'ms',
    op: '<=',
    bound: Infinity,
  },
  { key: 'fleet_devices', label: 'fleet: simulated devices', unit: '', op: '>=', bound: 10_000 },
  { key: 'fleet_register_s', label: 'fleet: registration storm', unit: 's', op: '<', bound: 5 },
  {
    key: 'fleet_cpu_percent',
    label: 'fleet: main node CPU, steady heartbeats',
    unit: '% core',
    op: '<',
    bound: 25,
  },
  { key: 'fleet_rss_mb', label: 'fleet: main node RSS', unit: 'MB', op: '<=', bound: Infinity },
  { key: 'fleet_bytes_per_device', label: 'fleet: memory per device', unit: 'B', op: '<=', bound: 10_240 },
  { key: 'worker_idle_rss_mb', label: 'worker idle RSS', unit: 'MB', op: '<=', bound: 45 },
  { key: 'recovery_100k_s', label: 'recovery: restart with 100k queued', unit: 's', op: '<', bound: 2 },
];

export function table(figures: Record<string, unknown>): string {
  const rows = TARGETS.map((t) => {
    const value = figures[t.key];
    const target = Number.isFinite(t.bound) && t.bound > 0 ? `${t.op} ${format(t.bound)}` : '';
    const met = typeof value !== 'number' || !target ? '' : meets(t, value) ? 'yes' : 'NO';
    return [t.label, shown(value, t.unit), target, met];
  });
  const header = ['figure', 'value', 'target', 'met'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The same table as Markdown, for bench/README.md. */
export function markdownTable(figures: Record<string, unknown>): string {
  const rows = TARGETS.map((t) => {
    const value = figures[t.key];
    const target = Number.isFinite(t.bound) && t.bound > 0 ? `${t.op} ${format(t.bound)}` : '';
    const met = typeof value !== 'number' || !target ? '' : meets(t, value) ? 'yes' : '**no**';
    return `| ${t.label} | ${shown(value, t.unit)} | ${target} | ${met} |`;
  });
  return ['| figure | value | target | met |', '|---|---:|---:|:---:|', ...rows].join('\n');
}

/** A number with its unit; `failed` when the benchmark ran and failed, `-` when it did not run. */
function shown(value: unknown, unit: string): string {
  if (value === undefined) return '-';
  return typeof value === 'number' ? `${format(value)} ${unit}`.trim() : 'failed';
}

function meets(t: Target, value: number): boolean {
  if (t.op === '<') return value < t.bound;
  return t.op === '<=' ? value <= t.bound : value >= t.bound;
}

function format(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 1000) return n.toLocaleString('en');
  return String(n);
}
