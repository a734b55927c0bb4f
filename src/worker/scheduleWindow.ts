/**
 * `--schedule "22:00-07:00,12:00-13:00"`: the local times at which the owner lets the device work.
 * A window whose end is before its start runs over midnight.
 */
export interface TimeWindow {
  start: number;
  end: number;
  text: string;
}

export function parseSchedule(text: string): TimeWindow[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(part);
      if (!match) throw new Error(`--schedule: "${part}" is not HH:MM-HH:MM`);
      const [h1, m1, h2, m2] = match.slice(1).map(Number) as [number, number, number, number];
      if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59)
        throw new Error(`--schedule: "${part}" is not a time of day`);
      return { start: h1 * 60 + m1, end: h2 * 60 + m2, text: part };
    });
}

/** Whether the local time of `date` falls in any window (start inclusive, end exclusive). */
export function inSchedule(windows: readonly TimeWindow[], date: Date): boolean {
  const minute = date.getHours() * 60 + date.getMinutes();
  return windows.some((w) =>
    w.start <= w.end ? minute >= w.start && minute < w.end : minute >= w.start || minute < w.end,
  );
}
