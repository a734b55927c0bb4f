import { abortedOutcome, succeeded } from './outcome.ts';
import { PayloadError, payloadObject, seconds, validate } from './payload.ts';
import type { TaskHandler, TaskOutcome, TaskContext } from './taskHandler.ts';

// setTimeout cannot wait longer than 2^31-1 ms; a longer sleep would fire at once.
const MAX_SLEEP_SECONDS = Math.floor(2_147_483_647 / 1000);

function parseDuration(payload: unknown): number {
  const duration = seconds(payloadObject(payload), 'duration');
  if (duration > MAX_SLEEP_SECONDS) {
    throw new PayloadError(`payload.duration must be at most ${MAX_SLEEP_SECONDS} seconds`);
  }
  return duration;
}

/** Resolves true after `ms`, or false as soon as the signal fires. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

async function run(context: TaskContext): Promise<TaskOutcome> {
  const parsed = validate(parseDuration, context.payload);
  if (!parsed.ok) return parsed.outcome;
  const completed = await pause(parsed.value * 1000, context.signal);
  return completed ? succeeded({ slept_for: parsed.value }) : abortedOutcome(context.signal, 'sleep');
}

/** Waits `duration` seconds without holding the event loop; stops at once on abort. */
export const sleepHandler: TaskHandler = { type: 'sleep', run };
