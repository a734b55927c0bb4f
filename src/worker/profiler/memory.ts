import { freemem, totalmem } from 'node:os';
import type { ProbeEnvironment } from './probeEnvironment.ts';
import { readText } from './readText.ts';
import { bytesToGb, percentOrNull } from './units.ts';

export interface MemoryReading {
  total_gb: number;
  available_gb: number | null;
  percent: number | null;
}

export interface Meminfo {
  totalBytes: number | null;
  availableBytes: number | null;
}

export function parseMeminfo(text: string): Meminfo {
  const kib = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+)\s*kB/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) kib.set(match[1], Number(match[2]) * 1024);
  }
  let availableBytes = kib.get('MemAvailable') ?? null;
  const free = kib.get('MemFree');
  const cached = kib.get('Cached');
  if (availableBytes === null && free !== undefined && cached !== undefined) {
    // Kernels before 3.14 (many old phones) lack MemAvailable; free + reclaimable cache is what
    // `free` itself reported there. MemFree alone would make an idle Android phone look full.
    availableBytes = free + cached + (kib.get('Buffers') ?? 0);
  }
  return { totalBytes: kib.get('MemTotal') ?? null, availableBytes };
}

export async function probeMemory(environment: ProbeEnvironment): Promise<MemoryReading> {
  let totalBytes: number | null = null;
  let availableBytes: number | null = null;
  if (environment.platform === 'linux' || environment.platform === 'android') {
    const text = await readText(`${environment.procRoot}/meminfo`);
    if (text !== null) ({ totalBytes, availableBytes } = parseMeminfo(text));
  }
  // os.freemem() on Linux is MemFree, which counts page cache as used; only a fallback.
  totalBytes ??= safely(totalmem);
  availableBytes ??= safely(freemem);
  if (totalBytes === null || totalBytes <= 0) return { total_gb: 0, available_gb: null, percent: null };
  const validAvailable = availableBytes !== null && availableBytes <= totalBytes ? availableBytes : null;
  return {
    total_gb: bytesToGb(totalBytes),
    available_gb: validAvailable === null ? null : bytesToGb(validAvailable),
    percent:
      validAvailable === null ? null : percentOrNull(((totalBytes - validAvailable) / totalBytes) * 100),
  };
}

function safely(read: () => number): number | null {
  try {
    const value = read();
    return Number.isFinite(value) && value >= 0 ? value : null;
  } catch {
    return null;
  }
}
