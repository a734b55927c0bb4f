import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TLSSocket } from 'node:tls';
import { dialMain } from '../../src/main/tls/dialPinned.ts';
import { createSelfSignedCert } from '../../src/main/tls/selfSignedCert.ts';
import { certificateFingerprint } from '../../src/main/tls/tlsMaterial.ts';
import { formatJoinToken, parseJoinToken } from '../../src/protocol/joinToken.ts';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

test('TLS by default: the join token pins the certificate a worker checks before sending secrets', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const token = parseJoinToken(main.joinToken);
  const cert = readFileSync(join(main.dataDir, 'tls.crt'), 'utf8');
  assert.equal(token.fingerprint, certificateFingerprint(cert));
  assert.ok(new X509Certificate(cert).subject.includes('retire-cluster'));
  assert.match(main.stdout, /TLS\s+on; certificate fingerprint/);

  procs.add(new WorkerProcess({ main, deviceId: 'honest', stateDir: join(dir.path, 'honest') }));
  await main.waitForDevice('honest');

  // A token naming another certificate: the worker refuses the server, and never registers.
  const other = certificateFingerprint(createSelfSignedCert('impostor').certPem);
  const fooled = procs.add(
    new WorkerProcess({
      main,
      deviceId: 'careful',
      stateDir: join(dir.path, 'careful'),
      token: formatJoinToken(token.secret, other),
    }),
  );
  const { code } = await fooled.exited;
  assert.equal(code, 1);
  assert.match(fooled.stderr, /CERTIFICATE_MISMATCH.*does not match the join token/);
  assert.equal(
    (await main.devices()).some((d) => d.device_id === 'careful'),
    false,
  );
});

test('plain TCP is refused on a TLS main node, except legacy one-shots; silent connections are dropped', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(
    await MainProcess.start({ dataDir: join(dir.path, 'main'), env: { RC_AUTH_TIMEOUT: '1' } }),
  );
  const plain = connect({ host: '127.0.0.1', port: main.tcpPort });
  let reply = '';
  let closed = false;
  plain.on('data', (c: Buffer) => (reply += c.toString()));
  plain.on('close', () => (closed = true));
  const register = {
    message_type: 'register',
    sender_id: 'x',
    message_id: 'r1',
    data: { device_id: 'x', auth: {} },
  };
  plain.write(JSON.stringify(register) + '\n');
  await waitFor(() => closed, 5000, 'the plain connection to be closed');
  const error = JSON.parse(reply.trim());
  assert.equal(error.data.code, 'TLS_REQUIRED');
  assert.match(error.data.error, /whole join token/);

  // A TLS connection that never authenticates is closed after the auth timeout.
  const idle = await dialMain('127.0.0.1', main.tcpPort, parseJoinToken(main.joinToken).fingerprint);
  let idleText = '';
  idle.on('data', (c: Buffer) => (idleText += c.toString()));
  await new Promise((resolve) => idle.once('close', resolve));
  assert.equal(JSON.parse(idleText.trim()).data.code, 'AUTH_TIMEOUT');
});

test('--no-tls: a warning, a token without fingerprint, plain workers', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main'), args: ['--no-tls'] }));
  assert.equal(parseJoinToken(main.joinToken).fingerprint, null);
  assert.match(main.stderr, /TLS is off/);
  assert.match(main.stdout, /TLS\s+OFF/);
  procs.add(new WorkerProcess({ main, deviceId: 'plain', stateDir: join(dir.path, 'plain') }));
  await main.waitForDevice('plain');
});

test('--tls-cert/--tls-key are used as given, and --https serves the API with them', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const made = createSelfSignedCert('my-nas.local');
  writeFileSync(join(dir.path, 'cert.pem'), made.certPem);
  writeFileSync(join(dir.path, 'key.pem'), made.keyPem);
  const main = procs.add(
    await MainProcess.start({
      dataDir: join(dir.path, 'main'),
      args: ['--tls-cert', join(dir.path, 'cert.pem'), '--tls-key', join(dir.path, 'key.pem'), '--https'],
    }),
  );
  assert.equal(parseJoinToken(main.joinToken).fingerprint, certificateFingerprint(made.certPem));
  const { status, peer } = await new Promise<{ status: number; peer: string }>((resolve, reject) => {
    const req = get(`https://127.0.0.1:${main.httpPort}/health`, { rejectUnauthorized: false }, (res) => {
      const socket = res.socket as TLSSocket;
      resolve({ status: res.statusCode!, peer: String(socket.getPeerCertificate().subject?.CN ?? '') });
      res.resume();
    });
    req.on('error', reject);
  });
  assert.equal(status, 200);
  assert.equal(peer, 'my-nas.local');
});
