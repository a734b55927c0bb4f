/**
 * The two cluster secrets (DESIGN §8): the join token lets a device join, the API token lets a
 * person or agent submit work. Generated once into the data dir with mode 0600.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClusterSecrets {
  joinToken: string;
  apiToken: string;
}

export const JOIN_TOKEN_FILE = 'join.token';
export const API_TOKEN_FILE = 'api.token';

export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares without leaking, through timing, how much of the guess was right. */
export function secretsEqual(given: string | undefined | null, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Uses a given token (and records it), else the stored one, else a new one. */
export function loadOrCreateSecret(dataDir: string, file: string, given?: string): string {
  const path = join(dataDir, file);
  if (given) {
    writeSecret(path, given);
    return given;
  }
  if (existsSync(path)) {
    const stored = readFileSync(path, 'utf8').trim();
    if (stored) return stored;
  }
  const secret = newSecret();
  writeSecret(path, secret);
  return secret;
}

function writeSecret(path: string, secret: string): void {
  writeFileSync(path, secret + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function loadSecrets(dataDir: string, given: Partial<ClusterSecrets> = {}): ClusterSecrets {
  return {
    joinToken: loadOrCreateSecret(dataDir, JOIN_TOKEN_FILE, given.joinToken),
    apiToken: loadOrCreateSecret(dataDir, API_TOKEN_FILE, given.apiToken),
  };
}

/** Reads a stored token without creating one (CLI clients on the main node's machine). */
export function readStoredSecret(dataDir: string, file: string): string | null {
  try {
    return readFileSync(join(dataDir, file), 'utf8').trim() || null;
  } catch {
    return null;
  }
}
