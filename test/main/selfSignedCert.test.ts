import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { createSelfSignedCert } from '../../src/main/tls/selfSignedCert.ts';
import { certificateFingerprint } from '../../src/main/tls/tlsMaterial.ts';

test('self-signed certificates are valid DER every time, with distinct serials and fingerprints', () => {
  const serials = new Set<string>();
  const fingerprints = new Set<string>();
  // Enough runs that a 1-in-512 encoding mistake (a leading zero byte) would show.
  for (let i = 0; i < 2000; i++) {
    const { certPem } = createSelfSignedCert('retire-cluster test');
    const cert = new X509Certificate(certPem);
    assert.equal(cert.subject, 'CN=retire-cluster test');
    serials.add(cert.serialNumber);
    fingerprints.add(certificateFingerprint(certPem));
  }
  assert.equal(serials.size, 2000);
  assert.equal(fingerprints.size, 2000);
});
