/**
 * Recent successful run times per task type: enough to know what "much longer than usual" means
 * for a straggler, without keeping history. Durations are measured on the main node (assign to
 * result), the same clock a running attempt is measured with.
 */
const KEEP = 15;

export class DurationSamples {
  #byType = new Map<string, number[]>();

  add(taskType: string, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const samples = this.#byType.get(taskType) ?? [];
    samples.push(ms);
    if (samples.length > KEEP) samples.shift();
    this.#byType.set(taskType, samples);
  }

  median(taskType: string, minSamples: number): number | null {
    const samples = this.#byType.get(taskType);
    if (!samples || samples.length < minSamples) return null;
    const sorted = [...samples].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
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
