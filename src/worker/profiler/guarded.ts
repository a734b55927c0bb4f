/**
 * Settles with `fallback` if the probe rejects or takes longer than `timeoutMs`: a sysfs read that
 * hangs in a driver must not hold up a heartbeat, and a probe bug must not fail the whole profile.
 */
export function guarded<T>(probe: () => Promise<T>, fallback: T, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve) => {
    const timer = setTimeout(() => resolve(fallback), timeoutMs);
    timer.unref();
    let pending: Promise<T>;
    try {
      pending = probe();
    } catch {
      pending = Promise.resolve(fallback);
    }
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}
