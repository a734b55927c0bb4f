/**
 * Hand-written payload checks: the worker bundle stays dependency-free, so no schema library.
 * Every message names the offending field, e.g. "payload.command must be a non-empty string".
 */
import { failed } from './outcome.ts';
import type { TaskOutcome } from './taskHandler.ts';

export class PayloadError extends Error {
  override name = 'PayloadError';
}

export type Validated<T> = { ok: true; value: T } | { ok: false; outcome: TaskOutcome };

/** Runs a parser and turns a PayloadError into a failed outcome; other errors are bugs and propagate. */
export function validate<T>(parse: (payload: unknown) => T, payload: unknown): Validated<T> {
  try {
    return { ok: true, value: parse(payload) };
  } catch (error) {
    if (error instanceof PayloadError) return { ok: false, outcome: failed(error.message) };
    throw error;
  }
}

export function payloadObject(payload: unknown): Record<string, unknown> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new PayloadError('payload must be an object');
  }
  return payload as Record<string, unknown>;
}

export function requiredString(fields: Record<string, unknown>, name: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new PayloadError(`payload.${name} must be a non-empty string`);
  }
  return value;
}

export function optionalString(fields: Record<string, unknown>, name: string): string | undefined {
  if (fields[name] === undefined || fields[name] === null) return undefined;
  return requiredString(fields, name);
}

/** A number of seconds: finite and >= 0 (or > 0 when `positive`). */
export function seconds(fields: Record<string, unknown>, name: string, positive = false): number {
  const value = fields[name];
  const ok = typeof value === 'number' && Number.isFinite(value) && (positive ? value > 0 : value >= 0);
  if (!ok) {
    throw new PayloadError(`payload.${name} must be a finite number of seconds ${positive ? '> 0' : '>= 0'}`);
  }
  return value;
}

export function optionalSeconds(fields: Record<string, unknown>, name: string): number | undefined {
  if (fields[name] === undefined || fields[name] === null) return undefined;
  return seconds(fields, name, true);
}

export function optionalStringRecord(
  fields: Record<string, unknown>,
  name: string,
): Record<string, string> | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new PayloadError(`payload.${name} must be an object of strings`);
  }
  const record: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw new PayloadError(`payload.${name}.${key} must be a string`);
    record[key] = entry;
  }
  return record;
}
