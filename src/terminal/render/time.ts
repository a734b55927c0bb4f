/** Times and sizes for people, short enough for a table cell. Pure: the browser bundles it too. */

/** `850ms`, `12s`, `4m 10s`, `3h 2m`, `2d 5h`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** `5m 3s ago`; `-` when unknown. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '-';
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso : `${duration(now - at)} ago`;
}

/** `14:03:07` local time. */
export function clock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** One line of at most `max` characters, for values that might be long (errors, payloads). */
export function oneLine(value: unknown, max = 80): string {
  const text = (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

export function percent(value: number | null | undefined): string | null {
  return value == null ? null : `${Math.round(value)}%`;
}
