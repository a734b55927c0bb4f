/**
 * A short CPU benchmark: an integer mixing loop (xorshift) for ~`budgetMs`, on the worker's own
 * thread (a task runs beside it, so it measures what a task would get). It allocates nothing, so
 * measuring leaves no garbage behind in an idle worker's memory. Normalised so that one core of a
 * typical 2020s laptop scores about 100; an old phone core scores 20-40. Higher is faster.
 */
const REFERENCE_ITERATIONS_PER_MS = 560_000;
const CHUNK = 100_000;

/** Written so the engine cannot drop the loop as dead code. */
let sink = 0;

export function measureSpeedScore(budgetMs = 60, now: () => number = () => performance.now()): number {
  let x = 0x9e3779b9 | 0;
  let iterations = 0;
  let elapsed = 0;
  const start = now();
  do {
    for (let i = 0; i < CHUNK; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      x = (x + i) | 0;
    }
    iterations += CHUNK;
    elapsed = now() - start;
  } while (elapsed < budgetMs);
  sink ^= x;
  return Math.max(
    1,
    Math.round(((iterations / Math.max(elapsed, 1e-3)) * 100) / REFERENCE_ITERATIONS_PER_MS),
  );
}

/** The last loop state, for tests that want to see the work happened. */
export function speedSink(): number {
  return sink;
}
