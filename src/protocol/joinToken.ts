/**
 * The join token a worker is given: `rcj1.<fingerprint>.<secret>`. The fingerprint (base64url SHA-256
 * of the main node's certificate) lets the worker check it reached the right main node before it
 * sends any secret; the secret is what the main node checks. A token without a fingerprint is just
 * the secret (a main node running with --no-tls).
 */
const PREFIX = 'rcj1.';

export interface JoinToken {
  fingerprint: string | null;
  secret: string;
}

export function formatJoinToken(secret: string, fingerprint: string | null): string {
  return fingerprint ? `${PREFIX}${fingerprint}.${secret}` : secret;
}

export function parseJoinToken(token: string): JoinToken {
  if (!token.startsWith(PREFIX)) return { fingerprint: null, secret: token };
  const rest = token.slice(PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot <= 0) return { fingerprint: null, secret: token };
  return { fingerprint: rest.slice(0, dot), secret: rest.slice(dot + 1) };
}
