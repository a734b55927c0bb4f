/**
 * Fuzzing a running main node: a few hundred mutated register / heartbeat / task_result / management
 * envelopes (and damaged bytes, and absurdly deep JSON) over pinned TLS connections, while a healthy
 * worker keeps completing tasks. The node must answer each with an ack or a clear error — never an
 * internal one — and never stop serving.
 */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { dialMain } from '../../src/main/tls/dialPinned.ts';
import { ErrorCode } from '../../src/protocol/errorCodes.ts';
import { parseJoinToken } from '../../src/protocol/joinToken.ts';
import { MAX_JSON_DEPTH } from '../../src/protocol/version.ts';
import {
  deepenText,
  deepJsonText,
  envelope,
  fuzzSeed,
  mutateBytes,
  mutateValue,
  randomJson,
  Rng,
  validMessages,
} from '../helpers/fuzz.ts';
import { isFinished, MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

const MESSAGES = 400;
const BURST = 20;
const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

class FuzzConnection {
  readonly socket: Socket;
  readonly replies: any[] = [];
  readonly unparseable: string[] = [];
  closed = false;
  #buffer = '';

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#buffer += chunk.toString();
      const lines = this.#buffer.split('\n');
      this.#buffer = lines.pop()!;
      for (const line of lines) {
        try {
          this.replies.push(JSON.parse(line));
        } catch {
          this.unparseable.push(line);
        }
      }
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => {});
  }

  send(data: string | Buffer): void {
    if (this.closed) return;
    this.socket.write(data);
    this.socket.write('\n');
  }

  reply(messageId: string): any {
    return this.replies.find((r) => r.data?.original_message_id === messageId);
  }
}

test('live fuzz: hundreds of mutated envelopes over TLS; clear errors only, the node keeps serving', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  procs.add(new WorkerProcess({ main, deviceId: 'healthy', stateDir: join(dir.path, 'healthy') }));
  await main.waitForDevice('healthy');
  const { fingerprint, secret } = parseJoinToken(main.joinToken);
  const seed = fuzzSeed(0xf022);
  const rng = new Rng(seed);
  const management = [
    envelope('task_submit', {
      auth: { api_token: main.apiToken },
      task_type: 'fuzz-only',
      payload: { a: 1 },
    }),
    envelope('status', { auth: { api_token: main.apiToken } }),
    envelope('device_info', { auth: { api_token: main.apiToken }, device_id: 'healthy' }),
    envelope('task_status', { auth: { api_token: main.apiToken }, task_id: 'no-such-task' }),
  ];

  const connections: FuzzConnection[] = [];
  let current: FuzzConnection | null = null;
  let deviceNo = 0;
  /** A fresh connection registered as a fresh fuzz device, so heartbeats and results reach the session. */
  const connection = async (): Promise<FuzzConnection> => {
    if (current && !current.closed) return current;
    const conn = new FuzzConnection(await dialMain('127.0.0.1', main.tcpPort, fingerprint));
    connections.push(conn);
    const register = validMessages(`fuzz-${++deviceNo}`, secret)[0]!;
    conn.send(JSON.stringify(register));
    await waitFor(() => conn.reply(register.message_id as string), 5000, 'the fuzz device to register');
    current = conn;
    return conn;
  };

  const pinned: string[] = [];
  let sent = 0;
  let deep = 0;
  while (sent < MESSAGES) {
    const conn = await connection();
    const deviceId = `fuzz-${deviceNo}`;
    const bases = [...validMessages(deviceId, secret), ...management];
    for (let i = 0; i < BURST; i++, sent++) {
      const base = rng.pick(bases);
      const roll = rng.int(10);
      let text: string | Buffer;
      if (roll < 4) text = JSON.stringify(mutateValue(rng, base));
      else if (roll < 6) text = JSON.stringify({ ...base, data: mutateValue(rng, base.data) });
      else if (roll < 7) text = mutateBytes(rng, Buffer.from(JSON.stringify(base)));
      else if (roll < 8) {
        text = deepenText(rng, base, rng.pick([MAX_JSON_DEPTH, 5000, 100_000]));
        deep++;
      } else if (roll < 9) text = JSON.stringify(randomJson(rng));
      else text = rng.bytes(1 + rng.int(300));
      conn.send(text);
    }
    // A valid heartbeat after the burst: once it is answered (or the node hung up), the burst was handled.
    const probe = envelope('heartbeat', validMessages(deviceId, secret)[1]!.data, deviceId);
    conn.send(JSON.stringify(probe));
    await waitFor(
      () => conn.closed || conn.reply(probe.message_id as string),
      5000,
      `the main node to get through burst ending at message ${sent} (seed ${seed})`,
    );
    // The rest of the cluster is unaffected: the API answers and the healthy worker takes work.
    assert.equal((await fetch(`${main.url}/health`)).status, 200);
    pinned.push(
      await main.submit({ task_type: 'echo', payload: sent, requirements: { device_id: 'healthy' } }),
    );
  }

  // The crash this fuzzing found: a device's deeply nested data used to fail the store commit and
  // stop the main node. Now it is a clear error, whatever carries it.
  const register = validMessages('deep-device', secret)[0]!;
  const crashers = [
    JSON.stringify({ ...register, data: { ...(register.data as object), capabilities: 'DEEP' } }).replace(
      '"DEEP"',
      `{"x":${deepJsonText(100_000)}}`,
    ),
    `{"message_type":"task_result","sender_id":"d","message_id":"deep-result","data":{"task_id":"t","attempt":1,"status":"success","result_data":${deepJsonText(100_000)}}}`,
  ];
  const last = await connection();
  for (const text of crashers) last.send(text);
  for (const id of [register.message_id as string, 'deep-result']) {
    const refused = await waitFor(() => last.reply(id), 5000, `the deep message ${id} to be refused`);
    assert.equal(refused.data.code, ErrorCode.BadMessage);
    assert.match(refused.data.error, /deeper than/);
  }
  assert.ok(!last.closed && main.running);

  const replies = connections.flatMap((c) => c.replies);
  assert.deepEqual(
    connections.flatMap((c) => c.unparseable),
    [],
    'every reply is a JSON line',
  );
  const errors = replies.filter((r) => r.message_type === 'error');
  for (const error of errors) {
    assert.ok(KNOWN_CODES.has(error.data.code), `unknown code: ${JSON.stringify(error)}`);
    assert.notEqual(error.data.code, ErrorCode.Internal, `an internal error: ${JSON.stringify(error)}`);
    assert.ok(typeof error.data.error === 'string' && error.data.error.length > 0, JSON.stringify(error));
  }
  // The fuzzing reached every layer: the framer/envelope, the zod schemas, and the session logic.
  const codes = new Set(errors.map((e) => e.data.code));
  assert.ok(codes.has(ErrorCode.BadMessage), [...codes].join(' '));
  assert.ok(
    errors.some((e) => /^invalid data/.test(e.data.error)),
    'no schema errors',
  );
  assert.ok(
    errors.some((e) => /deeper than/.test(e.data.error)),
    'no depth errors',
  );
  assert.ok(replies.filter((r) => r.message_type === 'ack').length > 20);

  assert.ok(main.running, 'the main node is still running');
  await main.waitForDevice('healthy');
  for (const id of pinned) {
    const task = await main.waitForTask(id, isFinished, 15_000);
    assert.equal(task.status, 'success', JSON.stringify(task));
  }

  // The depth limits fit together: the deepest task the API takes travels to a worker and back.
  const deepest = MAX_JSON_DEPTH - 9; // the body {"payload": ...} may nest MAX_JSON_DEPTH - 8
  const body = (levels: number) =>
    `{"task_type":"echo","payload":${deepJsonText(levels)},"requirements":{"device_id":"healthy"}}`;
  const refused = await main.api('POST', '/api/v1/tasks', body(deepest + 1));
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error_code, ErrorCode.ValidationError);
  assert.match(refused.body.message, /deeper than/);
  const accepted = await main.api('POST', '/api/v1/tasks', body(deepest));
  assert.equal(accepted.status, 201, JSON.stringify(accepted.body).slice(0, 300));
  const echoed = await main.waitForTask(accepted.body.data.task_id, isFinished, 15_000);
  assert.equal(echoed.status, 'success', JSON.stringify(echoed.error_history));
  console.log(
    `${sent} fuzz messages (${deep} deeply nested) on ${connections.length} connections: ` +
      `${replies.length} replies, ${errors.length} errors (${[...codes].join(', ')}); ${pinned.length} tasks done meanwhile`,
  );
});
