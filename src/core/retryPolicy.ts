export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 1000, maxDelayMs: 60_000 };

/** Exponential backoff: base, 2·base, 4·base, ... capped. `retryNumber` starts at 1. */
export function retryDelayMs(policy: RetryPolicy, retryNumber: number): number {
  const exponent = Math.min(30, Math.max(0, retryNumber - 1));
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
}
