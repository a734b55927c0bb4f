/** The core never reads the clock; the main node passes `now` (ms since the epoch) into every call. */
export interface Clock {
  now(): number;
}

let lastMs = NaN;
let lastIso = '';

/**
 * ISO-8601 of a time in ms. Everything done in one event-loop turn shares one `now`, and a busy turn
 * formats it for every task it touches: the last result is kept.
 */
export function iso(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
