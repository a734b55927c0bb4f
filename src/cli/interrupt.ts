/**
 * Ctrl+C as an AbortSignal: while `run` is in progress, SIGINT aborts the signal instead of killing
 * the process, so the command can stop cleanly and say what happens next (exit 130).
 */
export async function interruptible<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.on('SIGINT', onSignal);
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
  }
}
