// GiB (1024^3), as the original Retire-Cluster reported via psutil, so requirements such as
// `min_memory_gb` mean the same thing to old and new workers.
const BYTES_PER_GB = 1024 ** 3;

export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  // -0 would serialise as 0 anyway, but compares oddly in tests and logs.
  return Object.is(rounded, -0) ? 0 : rounded;
}

export function bytesToGb(bytes: number): number {
  return round(bytes / BYTES_PER_GB, 2);
}

/** `Number('')` is 0 and `parseInt('12abc')` is 12; sysfs garbage must read as unknown instead. */
export function parseStrictNumber(text: string | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const trimmed = text.trim();
  if (!/^[+-]?\d+(\.\d+)?$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

export function percentOrNull(value: number | null): number | null {
  if (value === null || !Number.isFinite(value) || value < 0 || value > 100) return null;
  return round(value, 1);
}
