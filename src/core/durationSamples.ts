/**
 * Recent successful run times per task type: enough to know what "much longer than usual" means
 * for a straggler, without keeping history. Durations are measured on the main node (assign to
 * result), the same clock a running attempt is measured with.
 */
const KEEP = 15;

interface Window {
  samples: number[];
  /** The median of `samples`, until the next one comes: every assignment asks, results change it. */
  median: number | null;
}

export class DurationSamples {
  #byType = new Map<string, Window>();

  add(taskType: string, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    let window = this.#byType.get(taskType);
    if (window === undefined) {
      window = { samples: [], median: null };
      this.#byType.set(taskType, window);
    }
    window.samples.push(ms);
    if (window.samples.length > KEEP) window.samples.shift();
    window.median = null;
  }

  median(taskType: string, minSamples: number): number | null {
    const window = this.#byType.get(taskType);
    if (!window || window.samples.length < minSamples) return null;
    window.median ??= middle([...window.samples].sort((a, b) => a - b));
    return window.median;
  }

  /** How long an attempt of this type may run before it counts as a straggler; null = unknown yet. */
  stragglerAfter(
    taskType: string,
    options: { factor: number; minMs: number; minSamples: number },
  ): number | null {
    const median = this.median(taskType, options.minSamples);
    return median === null ? null : Math.max(options.factor * median, options.minMs);
  }
}

function middle(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
