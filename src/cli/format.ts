/** Small formatting helpers shared by the subcommands' human-readable output. */

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

// One wording of times for the CLI and the dashboard terminal.
export { ago, duration as formatDuration } from '../terminal/render/time.ts';

/** Local wall-clock time with milliseconds, for event lines. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** One line, at most `max` characters, for details that might be long (errors, payloads). */
export function oneLine(value: unknown, max = 80): string {
  const text = (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

/** `key=value` pairs of a flat object, skipping empty values. */
export function keyValues(data: Record<string, unknown> | undefined): string {
  if (!data) return '';
  return Object.entries(data)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${k}=${oneLine(v, 60)}`)
    .join(' ');
}
