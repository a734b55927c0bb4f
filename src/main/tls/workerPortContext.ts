/**
 * The TLS context of the workers' port, one for every connection.
 *
 * Node's defaults otherwise (TLS 1.2-1.3, X25519MLKEM768 hybrid key exchange first, the same
 * cipher suites), with one change: no stateless session tickets (`SSL_OP_NO_TICKET`). A worker keeps
 * one connection for as long as it runs and never resumes a session (every dial is a full handshake,
 * the certificate checked against the join token's pin), so the two tickets OpenSSL issues after each
 * TLS 1.3 handshake were pure cost: each is encrypted under the context's ticket keys through Node's
 * ticket-key callback, ~3 % of the main node's CPU per handshake (measured with perf on a bare `tls`
 * server: 4.4 % of its samples in `tls_construct_new_session_ticket` with tickets, 1.6 % without).
 * With the option OpenSSL sends only session-id tickets; Node keeps no server-side session cache
 * (`SSL_SESS_CACHE_NO_INTERNAL`), so nothing is stored and nothing can be resumed: every connection
 * is a full handshake with fresh key shares, and no ticket key exists whose theft would expose a
 * resumed session.
 */
import { constants } from 'node:crypto';
import { createSecureContext, type SecureContext } from 'node:tls';

export function createWorkerPortContext(material: { key: string; cert: string }): SecureContext {
  return createSecureContext({
    key: material.key,
    cert: material.cert,
    secureOptions: constants.SSL_OP_NO_TICKET,
  });
}
