/**
 * The two cluster secrets (DESIGN §8): the join token lets a device join, the API token lets a
 * person or agent submit work. Generated once into the data dir with mode 0600.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatJoinToken, parseJoinToken } from '../protocol/joinToken.ts';

export interface ClusterSecrets {
  /** What workers pass as --token: the secret plus, with TLS, the certificate's fingerprint. */
  joinToken: string;
  /** The part of the join token the main node checks. */
  joinSecret: string;
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

export function writeSecret(path: string, secret: string): void {
  writeFileSync(path, secret + '\n', { mode: 0o600 });
  chmodSync(path, 0o600);
}

/**
 * `given.joinToken` sets the secret part (a whole token is accepted too); join.token always ends up
 * holding the whole token for the current certificate, so `--token $(cat join.token)` just works.
 */
export function loadSecrets(
  dataDir: string,
  given: { joinToken?: string | undefined; apiToken?: string | undefined } = {},
  fingerprint: string | null = null,
): ClusterSecrets {
  const stored = given.joinToken ?? readStoredSecret(dataDir, JOIN_TOKEN_FILE) ?? newSecret();
  const joinSecret = parseJoinToken(stored).secret;
  const joinToken = formatJoinToken(joinSecret, fingerprint);
  writeSecret(join(dataDir, JOIN_TOKEN_FILE), joinToken);
  return { joinToken, joinSecret, apiToken: loadOrCreateSecret(dataDir, API_TOKEN_FILE, given.apiToken) };
}

/** Reads a stored token without creating one (CLI clients on the main node's machine). */
export function readStoredSecret(dataDir: string, file: string): string | null {
  try {
    return readFileSync(join(dataDir, file), 'utf8').trim() || null;
  } catch {
    return null;
  }
}
