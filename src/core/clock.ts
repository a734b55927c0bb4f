/** The core never reads the clock; the main node passes `now` (ms since the epoch) into every call. */
export interface Clock {
  now(): number;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
