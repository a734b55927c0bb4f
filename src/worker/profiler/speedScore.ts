/**
 * A short CPU benchmark: an integer mixing loop (xorshift) for ~`budgetMs`. Normalised so that one
 * core of a typical 2020s laptop scores about 100; an old phone core scores 20-40. Higher is faster.
 *
 * The worker runs it in a short-lived `node -e` child on the same Node binary, beside whatever the
 * device is doing (so it measures what a task would get), and only reads the number back: a hot loop
 * wakes V8's optimizing compilers, whose code (~6 MB of the node binary's pages) would otherwise stay
 * resident in an idle worker for good. In-process only when no child can be started.
 */
import { childEnv } from '../tasks/childEnv.ts';
import { runCommand } from './runCommand.ts';

const REFERENCE_ITERATIONS_PER_MS = 560_000;

export interface SpeedRun {
  iterations: number;
  elapsedMs: number;
  /** The loop state, so the engine cannot drop the loop as dead code. */
  state: number;
}

/**
 * The loop itself. Self-contained (no outside names, literals only): it is also run from its source
 * text in the child. It allocates nothing, so it leaves no garbage behind wherever it runs.
 */
export function speedLoop(budgetMs: number, now: () => number): SpeedRun {
  let x = 0x9e3779b9 | 0;
  let iterations = 0;
  let elapsed = 0;
  const start = now();
  do {
    for (let i = 0; i < 100_000; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      x = (x + i) | 0;
    }
    iterations += 100_000;
    elapsed = now() - start;
  } while (elapsed < budgetMs);
  return { iterations, elapsedMs: elapsed, state: x };
}

export function scoreOf(run: Pick<SpeedRun, 'iterations' | 'elapsedMs'>): number {
  return Math.max(
    1,
    Math.round(((run.iterations / Math.max(run.elapsedMs, 1e-3)) * 100) / REFERENCE_ITERATIONS_PER_MS),
  );
}

/** Written so the engine cannot drop the in-process loop as dead code. */
let sink = 0;

/** Measures in this process (tests, and the fallback when no child process can be started). */
export function measureSpeedScore(budgetMs = 60, now: () => number = () => performance.now()): number {
  const run = speedLoop(budgetMs, now);
  sink ^= run.state;
  return scoreOf(run);
}

/** The last in-process loop state, for tests that want to see the work happened. */
export function speedSink(): number {
  return sink;
}

/** The program the child runs: the loop above, then one JSON line with its result. */
export function speedProgram(budgetMs: number): string {
  return `process.stdout.write(JSON.stringify((${speedLoop.toString()})(${Number(budgetMs)}, () => performance.now())) + '\\n');`;
}

export interface ChildSpeedOptions {
  budgetMs?: number;
  /** The Node binary to run; this worker's own by default. */
  nodePath?: string;
  /** Node's start-up plus the loop; a child that takes longer is killed. */
  timeoutMs?: number;
}

/** The score measured in a child process, or null when the child could not run or answered nonsense. */
export async function measureSpeedScoreInChild(options: ChildSpeedOptions = {}): Promise<number | null> {
  const output = await runCommand(
    options.nodePath ?? process.execPath,
    ['-e', speedProgram(options.budgetMs ?? 60)],
    { env: speedChildEnv(), timeoutMs: options.timeoutMs ?? 15_000, maxBytes: 4096 },
  );
  if (output === null || output.exitCode !== 0) return null;
  try {
    const run = JSON.parse(output.stdout) as Partial<SpeedRun>;
    const { iterations, elapsedMs } = run;
    if (typeof iterations !== 'number' || typeof elapsedMs !== 'number') return null;
    if (!(iterations > 0) || !(elapsedMs > 0)) return null;
    return scoreOf({ iterations, elapsedMs });
  } catch {
    return null;
  }
}

/**
 * The child needs none of the worker's secrets, and none of its `NODE_OPTIONS` (an `--inspect` port
 * or a `--cpu-prof` there is meant for the worker, not for a benchmark).
 */
export function speedChildEnv(from: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = childEnv(from);
  delete env.NODE_OPTIONS;
  return env;
}

/** Measured in a child; in this process only when the child cannot run (no binary, no process). */
export async function measureSpeedScoreIsolated(options: ChildSpeedOptions = {}): Promise<number> {
  return (await measureSpeedScoreInChild(options)) ?? measureSpeedScore(options.budgetMs ?? 60);
}
