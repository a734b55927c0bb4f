/**
 * `Date#toISOString` without the time zone: V8 asks ICU for the local zone's display name on the
 * first call of any Date-to-string method, even this UTC one, which loads ICU's zone-name data and
 * keeps ~1 MB more of the node binary resident in the worker. The UTC getters need none of it.
 * Same output as `toISOString` (which it falls back to outside years 0-9999, and for invalid dates).
 */
export function isoTimestamp(date: Date = new Date()): string {
  const year = date.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) return date.toISOString();
  return (
    `${pad(year, 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}` +
    `T${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}` +
    `.${pad(date.getUTCMilliseconds(), 3)}Z`
  );
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * A formatter that remembers its last result: a busy peer stamps many messages, results and log
 * lines within one ms, and formatting costs more than the rest of each. Each user keeps its own, so
 * two clocks read in one turn (the turn's `now`, the current ms) do not evict each other.
 */
export function cachedIso(): (ms: number) => string {
  let lastMs = Number.NaN;
  let lastIso = '';
  return (ms) => {
    if (ms !== lastMs) {
      lastMs = ms;
      lastIso = isoTimestamp(new Date(ms));
    }
    return lastIso;
  };
}

/** The ISO form of an epoch-ms time (results, log lines). */
export const isoAtMs = cachedIso();

const envelopeIso = cachedIso();

/** Now, in ISO form (envelopes). */
export function nowIso(): string {
  return envelopeIso(Date.now());
}
