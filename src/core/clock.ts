import { cachedIso } from '../protocol/isoTime.ts';

/** The core never reads the clock; the main node passes `now` (ms since the epoch) into every call. */
export interface Clock {
  now(): number;
}

/**
 * ISO-8601 of a time in ms. Everything done in one event-loop turn shares one `now`, and a busy turn
 * formats it for every task it touches: the last result is kept.
 */
export const iso = cachedIso();
