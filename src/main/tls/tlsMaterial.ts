/**
 * The main node's key and certificate: given with --tls-cert/--tls-key, else created once in the
 * data dir (tls.key mode 0600). Its fingerprint goes into the join token.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createSelfSignedCert } from './selfSignedCert.ts';

export interface TlsMaterial {
  key: string;
  cert: string;
  /** base64url SHA-256 of the DER certificate. */
  fingerprint: string;
}

export const TLS_KEY_FILE = 'tls.key';
export const TLS_CERT_FILE = 'tls.crt';

export function certificateFingerprint(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('base64url');
}

export function loadTlsMaterial(
  dataDir: string,
  given: { certFile?: string; keyFile?: string } = {},
): TlsMaterial {
  let certPath = given.certFile;
  let keyPath = given.keyFile;
  if (!certPath !== !keyPath) throw new Error('--tls-cert and --tls-key go together');
  if (!certPath || !keyPath) {
    certPath = join(dataDir, TLS_CERT_FILE);
    keyPath = join(dataDir, TLS_KEY_FILE);
    if (!existsSync(certPath) || !existsSync(keyPath)) {
      const made = createSelfSignedCert(`retire-cluster main ${hostname()}`);
      writeFileSync(keyPath, made.keyPem, { mode: 0o600 });
      chmodSync(keyPath, 0o600);
      writeFileSync(certPath, made.certPem);
    }
  }
  const cert = readFileSync(certPath, 'utf8');
  const key = readFileSync(keyPath, 'utf8');
  try {
    return { key, cert, fingerprint: certificateFingerprint(cert) };
  } catch (error) {
    throw new Error(`${certPath} is not a PEM certificate: ${(error as Error).message}`, { cause: error });
  }
}

/** For clients on the main node's machine (the standalone API server, tests). */
export function storedFingerprint(dataDir: string): string | null {
  const path = join(dataDir, TLS_CERT_FILE);
  return existsSync(path) ? certificateFingerprint(readFileSync(path, 'utf8')) : null;
}
