import type { TaskOutcome } from './taskHandler.ts';

export type StopReason = 'timeout' | 'cancelled';

export function succeeded(result_data: unknown): TaskOutcome {
  return { status: 'success', result_data };
}

export function failed(error: string, result_data?: unknown): TaskOutcome {
  return result_data === undefined ? { status: 'failed', error } : { status: 'failed', error, result_data };
}

export function stopped(reason: StopReason, error: string, result_data?: unknown): TaskOutcome {
  return result_data === undefined ? { status: reason, error } : { status: reason, error, result_data };
}

/** The executor aborts with 'timeout' or 'cancelled'; anything else counts as a cancellation. */
export function stopReason(signal: AbortSignal): StopReason {
  return signal.reason === 'timeout' ? 'timeout' : 'cancelled';
}

/** The outcome for a task whose signal fired before or while it ran. */
export function abortedOutcome(signal: AbortSignal, what: string, result_data?: unknown): TaskOutcome {
  const reason = stopReason(signal);
  return stopped(reason, reason === 'timeout' ? `${what} timed out` : `${what} was cancelled`, result_data);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
