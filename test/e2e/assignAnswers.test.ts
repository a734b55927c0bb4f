/**
 * How an assignment is answered (DESIGN §3): a task that finishes within the worker's turn comes back
 * as its result alone, which stands for the ack and the `running` status; a longer one is acked and
 * reported running first. Both sides are tested: the real worker bundle against a hand-written main
 * node, and the real main node against a hand-written device.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { RawDevice } from '../helpers/rawDevice.ts';
import { MainProcess, ProcessGroup, Proc, WORKER_BUNDLE } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

function envelope(type: string, data: unknown, id: string): string {
  const message = {
    message_type: type,
    sender_id: 'fake-main',
    receiver_id: null,
    message_id: id,
    timestamp: new Date().toISOString(),
    data,
  };
  return JSON.stringify(message) + '\n';
}

function assign(id: string, taskType: string, payload: unknown): string {
  const task = {
    task_id: `task-${id}`,
    task_type: taskType,
    payload,
    priority: 'normal',
    timeout_seconds: 30,
    attempt: 1,
    metadata: {},
  };
  return envelope('task_assign', { task }, id);
}

/** A main node of a few lines: acks the registration and records every frame the worker sends. */
async function fakeMain(): Promise<{ port: number; frames: any[]; socket: () => Socket; close(): void }> {
  const frames: any[] = [];
  let peer: Socket | null = null;
  const server = createServer((socket) => {
    peer = socket;
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const message = JSON.parse(line);
        frames.push(message);
        if (message.message_type === 'register') {
          const result = { success: true, device_id: 'w1', heartbeat_interval: 60, heartbeat_timeout: 180 };
          socket.write(envelope('ack', { original_message_id: message.message_id, result }, 'reg-ack'));
        }
      }
    });
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    frames,
    socket: () => peer!,
    close: () => {
      peer?.destroy();
      server.close();
    },
  };
}

const about = (frames: any[], taskId: string, assignId: string) =>
  frames.filter((m) => m.data?.task_id === taskId || m.data?.original_message_id === assignId);

test('the worker answers an instant task with its result alone, a longer one with ack and running first', async (t) => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = await fakeMain();
  t.after(() => main.close());
  procs.add(
    new Proc(
      [WORKER_BUNDLE, '--join', `127.0.0.1:${main.port}`, '--device-id', 'w1', '--state-dir', dir.path],
      { RC_JOIN_TOKEN: 'plain-secret' },
    ),
  );
  await waitFor(() => main.frames.find((m) => m.message_type === 'register'), 15_000, 'the register');

  main.socket().write(assign('a1', 'echo', { n: 1 }));
  const echoed = await waitFor(() => main.frames.find((m) => m.message_type === 'task_result'));
  assert.equal(echoed.data.task_id, 'task-a1');
  assert.equal(echoed.data.status, 'success');
  assert.deepEqual(echoed.data.result_data, { echo: { n: 1 } });
  assert.ok(echoed.data.started_at, 'the result says when the task started');
  assert.deepEqual(
    about(main.frames, 'task-a1', 'a1').map((m) => m.message_type),
    ['task_result'],
    'no ack and no running status for a task that finished in the same turn',
  );

  main.socket().write(assign('a2', 'sleep', { duration: 0.3 }));
  await waitFor(() =>
    main.frames.find((m) => m.message_type === 'task_result' && m.data.task_id === 'task-a2'),
  );
  const answers = about(main.frames, 'task-a2', 'a2');
  assert.deepEqual(
    answers.map((m) => `${m.message_type}${m.data.status ? `:${m.data.status}` : ''}`),
    ['ack', 'task_status:running', 'task_result:success'],
  );
  assert.equal(answers[0].data.original_message_id, 'a2');

  main.socket().write(assign('a3', 'no_such_type', {}));
  const refused = await waitFor(() =>
    main.frames.find((m) => m.message_type === 'error' && m.data.original_message_id === 'a3'),
  );
  assert.equal(refused.data.code, 'REJECTED');
  assert.deepEqual(about(main.frames, 'task-a3', 'a3'), [refused], 'a refusal is the only answer');
});

test('the main node takes a result alone as acceptance: the task records started, then success', async (t) => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const device = await RawDevice.register({
    port: main.tcpPort,
    joinToken: main.joinToken,
    deviceId: 'terse',
    taskTypes: ['echo'],
    maxConcurrentTasks: 2,
  });
  t.after(() => device.close());

  const submitted = await main.api('POST', '/api/v1/tasks', [
    { task_type: 'echo', payload: { n: 1 } },
    { task_type: 'echo', payload: { n: 2 } },
  ]);
  const ids: string[] = submitted.body.data.tasks.map((task: any) => task.task_id);
  const assigns = await waitFor(() => {
    const found = device.received.filter((m) => m.message_type === 'task_assign');
    return found.length === 2 ? found : null;
  });
  // The first is answered with its result alone; the second the long way, and then refused late
  // by an error naming its assignment: that must not undo a task the device already reported.
  const [terse, verbose] = assigns.map((m: any) => m.data.task);
  device.send('task_result', {
    task_id: terse.task_id,
    attempt: terse.attempt,
    status: 'success',
    result_data: 1,
  });
  device.send('ack', { original_message_id: assigns[1].message_id });
  device.send('task_status', { task_id: verbose.task_id, attempt: verbose.attempt, status: 'running' });
  device.send('task_result', {
    task_id: verbose.task_id,
    attempt: verbose.attempt,
    status: 'success',
    result_data: 2,
  });

  for (const id of ids) {
    const task = await main.waitForTask(id);
    assert.equal(task.status, 'success');
    assert.ok(task.started_at, `${id} has a start time`);
    const events = await main.api('GET', `/api/v1/tasks/${id}/events`);
    const types = events.body.data.events.map((e: any) => e.type);
    assert.deepEqual(types, ['task.submitted', 'task.assigned', 'task.started', 'task.success']);
  }
  const acks = device.received.filter((m) => m.message_type === 'ack');
  assert.equal(acks.filter((m) => m.data.result?.outcome === 'applied').length, 2, 'both results acked');

  // An error naming an assignment that was answered by a result is not a rejection of anything.
  device.send('error', { original_message_id: assigns[0].message_id, code: 'REJECTED', error: 'late' });
  device.send('heartbeat', { metrics: {}, running_tasks: [] });
  await device.waitFor((m) => m.message_type === 'ack' && m.data.result?.success === true);
  assert.equal((await main.task(ids[0]!)).status, 'success');
  assert.equal((await main.task(ids[0]!)).attempt, 1);
});
