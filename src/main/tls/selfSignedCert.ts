/**
 * A self-signed certificate made with node:crypto alone (no openssl binary on a NAS or in a slim
 * container). Workers never check names or a CA: they pin the certificate's SHA-256 fingerprint,
 * which the join token carries.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { bitString, explicit, generalizedTime, integer, objectId, sequence, set, utf8String } from './der.ts';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

export interface KeyAndCert {
  keyPem: string;
  certPem: string;
}

export function createSelfSignedCert(commonName: string, now: Date = new Date()): KeyAndCert {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const algorithm = sequence(objectId(ECDSA_WITH_SHA256));
  const name = sequence(set(sequence(objectId(COMMON_NAME), utf8String(commonName))));
  const serial = randomBytes(16);
  // Positive and without a leading zero byte, as DER requires of an INTEGER.
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))), // X.509 v3
    integer(serial),
    algorithm,
    name,
    sequence(
      generalizedTime(new Date(now.getTime() - 60_000)),
      generalizedTime(new Date(now.getTime() + TEN_YEARS_MS)),
    ),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const certificate = sequence(tbs, algorithm, bitString(sign('sha256', tbs, privateKey)));
  const base64 = certificate
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return {
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    certPem: `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`,
  };
}
