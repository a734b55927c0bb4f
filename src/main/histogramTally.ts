/**
 * A Prometheus histogram kept in plain numbers, handed to prom-client only when scraped.
 *
 * prom-client 15's Histogram validates label names and hashes the label object on every observe(),
 * even through a cached labels() child; the main node observes on every task event, thousands a
 * second. Here a series is a handle the caller keeps, and observing it is a short loop over the
 * bounds and three additions. Registered in a prom-client Registry, it prints what prom-client's
 * own Histogram prints for the same observations: cumulative `le` buckets, `+Inf`, `_sum`, `_count`.
 */
import type { Aggregator, Metric, Registry } from 'prom-client';

export type Labels<L extends string> = Readonly<Record<L, string>>;

export interface HistogramTallyConfig<L extends string> {
  name: string;
  help: string;
  /** Upper bounds, ascending; `+Inf` is implied. */
  buckets: readonly number[];
  labelNames?: readonly L[];
  registers?: readonly Registry[];
}

/** One line of the exposition, in the shape prom-client's Registry reads from a metric's get(). */
export interface Sample {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/** The observations of one label set. */
export class HistogramSeries<L extends string = string> {
  readonly labels: Labels<L>;
  readonly #bounds: readonly number[];
  /** Per bound, the observations above the previous bound and up to this one (not cumulative). */
  readonly #counts: number[];
  #sum = 0;
  #count = 0;

  constructor(labels: Labels<L>, bounds: readonly number[]) {
    this.labels = labels;
    this.#bounds = bounds;
    this.#counts = new Array<number>(bounds.length).fill(0);
  }

  /** Values past the last bound count in `+Inf` only; a non-finite value is dropped, not thrown. */
  observe(value: number): void {
    if (!Number.isFinite(value)) return; // prom-client throws: that would break event delivery
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i += 1;
    if (i < bounds.length) this.#counts[i]! += 1;
    this.#sum += value;
    this.#count += 1;
  }

  reset(): void {
    this.#counts.fill(0);
    this.#sum = 0;
    this.#count = 0;
  }

  /** Label order as prom-client prints it: `le` first, then the series' own labels. */
  samples(name: string): Sample[] {
    const bucket = `${name}_bucket`;
    const samples: Sample[] = [];
    let cumulative = 0;
    for (let i = 0; i < this.#bounds.length; i++) {
      cumulative += this.#counts[i]!;
      samples.push({
        metricName: bucket,
        labels: { le: this.#bounds[i]!, ...this.labels },
        value: cumulative,
      });
    }
    samples.push(
      { metricName: bucket, labels: { le: '+Inf', ...this.labels }, value: this.#count },
      { metricName: `${name}_sum`, labels: { ...this.labels }, value: this.#sum },
      { metricName: `${name}_count`, labels: { ...this.labels }, value: this.#count },
    );
    return samples;
  }
}

/**
 * A histogram's series, shown from the moment they exist: like prom-client, one without labels
 * exists (at zero) from the start, labelled ones from their first `series()` call.
 */
export class HistogramTally<L extends string = never> {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator: Aggregator = 'sum';
  readonly labelNames: readonly L[];
  readonly #bounds: readonly number[];
  #series = new Map<string, HistogramSeries<L>>();

  constructor(config: HistogramTallyConfig<L>) {
    const { buckets, labelNames = [] } = config;
    if (buckets.some((bound, i) => !Number.isFinite(bound) || (i > 0 && bound <= buckets[i - 1]!)))
      throw new Error(`${config.name}: buckets must be finite and ascending`);
    if ((labelNames as readonly string[]).includes('le'))
      throw new Error(`${config.name}: le is a reserved label name`);
    this.name = config.name;
    this.help = config.help;
    this.labelNames = labelNames;
    this.#bounds = [...buckets];
    if (labelNames.length === 0) this.series({} as Labels<L>);
    // prom-client's types list its own metric classes only; its Registry needs just this shape.
    for (const registry of config.registers ?? []) registry.registerMetric(this as unknown as Metric);
  }

  /** The series of these labels, created if new. It builds a key: keep the handle for hot paths. */
  series(labels: Labels<L>): HistogramSeries<L> {
    const key = this.labelNames.map((name) => labels[name]).join('\u0000');
    let series = this.#series.get(key);
    if (series === undefined) {
      series = new HistogramSeries({ ...labels }, this.#bounds);
      this.#series.set(key, series);
    }
    return series;
  }

  /** What prom-client's Registry reads when scraped. */
  get(): Promise<{
    name: string;
    help: string;
    type: 'histogram';
    aggregator: Aggregator;
    values: Sample[];
  }> {
    const values: Sample[] = [];
    for (const series of this.#series.values()) values.push(...series.samples(this.name));
    return Promise.resolve({
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values,
    });
  }

  /** Zeroes every series but keeps it, so handles held by callers stay live (prom-client drops them). */
  reset(): void {
    for (const series of this.#series.values()) series.reset();
  }
}
