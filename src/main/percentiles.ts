export interface LatencySummary {
  count: number;
  avg: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

/** Nearest-rank percentiles of a sample (it is small and bounded, so sorting a copy is fine). */
export function summarize(values: readonly number[]): LatencySummary {
  if (values.length === 0) return { count: 0, avg: null, p50: null, p90: null, p99: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  const sum = sorted.reduce((total, v) => total + v, 0);
  return {
    count: sorted.length,
    avg: Math.round(sum / sorted.length),
    p50: rank(50),
    p90: rank(90),
    p99: rank(99),
    max: sorted[sorted.length - 1]!,
  };
}
