/**
 * Flapping: a device whose connection keeps dropping (a phone in doze, a weak Wi-Fi) still gets
 * work, but only when no steadier device can take it: it is ranked last. It is not paused, so a
 * cluster of only flaky phones still runs. A dropped connection alone costs nothing (the reconnect
 * grace keeps its tasks); only repeated drops within the window count.
 */
export interface FlapState {
  /** When the connection dropped, oldest first, within the window. */
  drops: number[];
}

export const INITIAL_FLAP_STATE: FlapState = { drops: [] };

export const FLAP_WINDOW_MS = 10 * 60_000;
export const FLAP_THRESHOLD = 3;

export function recordDrop(previous: FlapState, now: number, windowMs = FLAP_WINDOW_MS): FlapState {
  return { drops: [...previous.drops.filter((at) => now - at < windowMs), now] };
}

export function isFlapping(
  state: FlapState,
  now: number,
  windowMs = FLAP_WINDOW_MS,
  threshold = FLAP_THRESHOLD,
): boolean {
  let recent = 0;
  for (const at of state.drops) if (now - at < windowMs) recent++;
  return recent >= threshold;
}
