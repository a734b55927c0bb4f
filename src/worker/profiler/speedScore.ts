import { createHash } from 'node:crypto';

/**
 * A short CPU benchmark: SHA-256 over a 1 KiB buffer for ~`budgetMs`, on the worker's own thread
 * (a task runs beside it, so it measures what a task would get). Normalised so that one core of a
 * typical 2020s laptop scores about 100; an old phone core scores 20-40. Higher is faster.
 */
const REFERENCE_HASHES_PER_MS = 600;

export function measureSpeedScore(budgetMs = 60, now: () => number = () => performance.now()): number {
  const buffer = Buffer.alloc(1024, 7);
  const start = now();
  let hashes = 0;
  let elapsed = 0;
  do {
    for (let i = 0; i < 50; i++) createHash('sha256').update(buffer).digest();
    hashes += 50;
    elapsed = now() - start;
  } while (elapsed < budgetMs);
  return Math.max(1, Math.round(((hashes / elapsed) * 100) / REFERENCE_HASHES_PER_MS));
}
