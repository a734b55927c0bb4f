/**
 * A client connection to a main node's worker port: TLS pinned to the certificate fingerprint when
 * one is given (as workers do), plain TCP otherwise. For management clients and tests; the worker
 * has its own copy because it may not import from here.
 */
import { createHash } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';

export class CertificateMismatchError extends Error {
  override name = 'CertificateMismatchError';
}

/** Resolves once connected and, with TLS, once the certificate is the expected one. */
export function dialMain(host: string, port: number, fingerprint: string | null): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket: Socket = fingerprint
      ? connectTls({ host, port, rejectUnauthorized: false })
      : connect({ host, port });
    socket.once('error', reject);
    socket.once(fingerprint ? 'secureConnect' : 'connect', () => {
      socket.off('error', reject);
      if (fingerprint) {
        const raw = (socket as TLSSocket).getPeerCertificate()?.raw;
        const seen = raw ? createHash('sha256').update(raw).digest('base64url') : null;
        if (seen !== fingerprint) {
          socket.destroy();
          reject(
            new CertificateMismatchError(
              `${host}:${port} presented certificate ${seen}, expected ${fingerprint}`,
            ),
          );
          return;
        }
      }
      resolve(socket);
    });
  });
}
