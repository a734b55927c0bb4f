/**
 * What a worker remembers across restarts, in `<state-dir>/worker-state.json` (mode 0600): its
 * device id (so `--auto-id` stays stable) and the device secret the main node issued at join.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { childPath } from './childPath.ts';

export interface WorkerState {
  device_id?: string;
  /** Keyed by main node address: a device joined to two clusters holds two secrets. */
  secrets?: Record<string, string>;
  /** Main node address -> its certificate fingerprint, pinned at the first join (trust on first use). */
  fingerprints?: Record<string, string>;
}

export const STATE_FILE = 'worker-state.json';

export function readState(stateDir: string): WorkerState {
  try {
    const parsed = JSON.parse(readFileSync(childPath(stateDir, STATE_FILE), 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as WorkerState) : {};
  } catch {
    return {};
  }
}

export function writeState(stateDir: string, state: WorkerState): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const path = childPath(stateDir, STATE_FILE);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/** hostname plus a random suffix kept in the state file, so a restart keeps the id. */
export function autoDeviceId(stateDir: string): string {
  const state = readState(stateDir);
  if (state.device_id) return state.device_id;
  const base =
    hostname()
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || 'device';
  const id = `${base}-${randomBytes(3).toString('hex')}`;
  writeState(stateDir, { ...state, device_id: id });
  return id;
}
