import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { dialMain } from '../../src/main/tls/dialPinned.ts';
import { parseJoinToken } from '../../src/protocol/joinToken.ts';
import { join } from 'node:path';
import { test } from 'node:test';
import { MainProcess, ProcessGroup } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

/** A raw TCP client that collects newline-terminated replies. */
class RawClient {
  readonly socket: Socket;
  lines: any[] = [];
  raw = '';
  closed = false;

  /** TLS pinned to the main node's certificate, as a worker connects. */
  static async open(main: MainProcess): Promise<RawClient> {
    return new RawClient(
      await dialMain('127.0.0.1', main.tcpPort, parseJoinToken(main.joinToken).fingerprint),
    );
  }

  constructor(socket: Socket) {
    this.socket = socket;
    this.socket.on('data', (chunk: Buffer) => {
      this.raw += chunk.toString();
      const parts = this.raw.split('\n');
      this.raw = parts.pop()!;
      for (const part of parts) if (part) this.lines.push(JSON.parse(part));
    });
    this.socket.on('close', () => (this.closed = true));
    this.socket.on('error', () => {});
  }

  async reply(n: number): Promise<any> {
    return waitFor(() => this.lines[n], 5000, `reply ${n}`);
  }
}

function envelope(type: string, data: unknown, id = 'm-' + Math.random()) {
  return { message_type: type, sender_id: 'tester', receiver_id: null, message_id: id, timestamp: '', data };
}

test('bad frames get a clear error and the connection keeps serving', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const client = await RawClient.open(main);
  client.socket.write('this is not json\n');
  const bad = await client.reply(0);
  assert.equal(bad.message_type, 'error');
  assert.equal(bad.data.code, 'BAD_MESSAGE');
  assert.match(bad.data.error, /invalid JSON/);

  client.socket.write(
    JSON.stringify({ message_type: 'nope', sender_id: 'x', message_id: 'id-1', data: {} }) + '\n',
  );
  const unknown = await client.reply(1);
  assert.equal(unknown.data.code, 'BAD_MESSAGE');
  assert.equal(unknown.data.original_message_id, 'id-1');
  assert.match(unknown.data.error, /message_type/);

  // Split across writes, byte by byte: still one message.
  const status = JSON.stringify(envelope('status', { auth: { api_token: main.apiToken } }, 'id-2')) + '\n';
  for (const ch of status) client.socket.write(ch);
  const ok = await client.reply(2);
  assert.equal(ok.message_type, 'ack');
  assert.equal(ok.data.original_message_id, 'id-2');
  assert.equal(typeof ok.data.result.cluster_stats.total_devices, 'number');

  // Register with a malformed profile: the error names the field.
  client.socket.write(JSON.stringify(envelope('register', { device_id: '', auth: {} }, 'id-3')) + '\n');
  const invalid = await client.reply(3);
  assert.equal(invalid.data.code, 'BAD_MESSAGE');
  assert.match(invalid.data.error, /device_id/);
  assert.equal(client.closed, false);
  client.socket.destroy();
});

test('an oversized frame is refused and its connection closed; other clients are unaffected', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(
    await MainProcess.start({ dataDir: join(dir.path, 'main'), env: { RC_MAX_FRAME_BYTES: '4096' } }),
  );
  const bystander = await RawClient.open(main);
  const flooder = await RawClient.open(main);
  flooder.socket.write('{"x":"' + 'a'.repeat(10_000));
  const error = await flooder.reply(0);
  assert.equal(error.data.code, 'FRAME_TOO_LARGE');
  await waitFor(() => flooder.closed, 5000, 'the flooder to be disconnected');

  bystander.socket.write(
    JSON.stringify(envelope('status', { auth: { api_token: main.apiToken } }, 'b-1')) + '\n',
  );
  assert.equal((await bystander.reply(0)).message_type, 'ack');
  bystander.socket.destroy();
});

test('management messages need the API token', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const client = await RawClient.open(main);
  client.socket.write(JSON.stringify(envelope('task_submit', { task_type: 'echo' }, 's-1')) + '\n');
  const refused = await client.reply(0);
  assert.equal(refused.data.code, 'UNAUTHORIZED');
  await waitFor(() => client.closed, 5000, 'connection closed');

  const authed = await RawClient.open(main);
  const submit = envelope(
    'task_submit',
    { auth: { api_token: main.apiToken }, task_type: 'echo', payload: 7 },
    's-2',
  );
  authed.socket.write(JSON.stringify(submit) + '\n');
  const accepted = await authed.reply(0);
  assert.equal(accepted.message_type, 'ack');
  const taskId = accepted.data.result.task_id;
  assert.equal((await main.task(taskId)).status, 'queued');
  // The session remembers the token: later messages need not repeat it.
  authed.socket.write(JSON.stringify(envelope('task_status', { task_id: taskId }, 's-3')) + '\n');
  assert.equal((await authed.reply(1)).data.result.task.task_id, taskId);
  authed.socket.destroy();
});
