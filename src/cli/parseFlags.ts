/** Flag values checked before any request is made, so a typo exits 2 with a clear message. */
import { UsageError } from './errors.ts';

export function parseNumberFlag(
  name: string,
  value: string,
  options: { min?: number; integer?: boolean } = {},
): number {
  const n = Number(value);
  const min = options.min ?? 0;
  if (value.trim() === '' || !Number.isFinite(n) || n < min || (options.integer && !Number.isInteger(n))) {
    const kind = options.integer ? 'an integer' : 'a number';
    throw new UsageError(`${name} needs ${kind} >= ${min}, got "${value}"`);
  }
  return n;
}

export function parseJsonFlag(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${name} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Commander's collector for repeatable flags. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
