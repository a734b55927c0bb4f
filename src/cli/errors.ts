/**
 * Errors that decide the CLI's exit code (see exitCodes.ts). Anything else that escapes a command
 * is a failed request (1).
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Ctrl+C while waiting: the work on the cluster goes on; only this process stops. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
}
