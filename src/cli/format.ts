/** Small formatting helpers shared by the subcommands' human-readable output. */

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/** `850ms`, `12s`, `4m 10s`, `3h 2m`, `2d 5h`: short enough for a table column. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** How long ago an ISO time was, e.g. `5m 3s ago`; `-` when unknown. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '-';
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso : `${formatDuration(now - at)} ago`;
}

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
