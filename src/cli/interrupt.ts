/**
 * Ctrl+C as an AbortSignal: while `run` is in progress, SIGINT aborts the signal instead of killing
 * the process, so the command can stop cleanly and say what happens next (exit 130).
 */
export async function interruptible<T>(
  run: (signal: AbortSignal) => Promise<T>,
  earlier?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.on('SIGINT', onSignal);
  // A Ctrl+C that came before this point (while the task was being submitted) counts too.
  if (earlier?.aborted) onSignal();
  else earlier?.addEventListener('abort', onSignal, { once: true });
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    earlier?.removeEventListener('abort', onSignal);
  }
}

/** Remembers a Ctrl+C from now on, for a command that will wait later (`submit --wait`). */
export function catchInterrupt(): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.on('SIGINT', onSignal);
  return { signal: controller.signal, release: () => process.off('SIGINT', onSignal) };
}
