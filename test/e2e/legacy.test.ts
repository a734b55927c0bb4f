import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { MainProcess, ProcessGroup } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';

/** Exactly what the original Python clients do: one JSON object, no newline, read until close. */
function oneShot(port: number, message: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(JSON.stringify(message)));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      try {
        resolve(JSON.parse(text));
      } catch (error) {
        reject(new Error(`not one JSON reply: ${JSON.stringify(text)}`, { cause: error }));
      }
    });
  });
}

function legacy(type: string, sender: string, data: unknown) {
  return {
    message_type: type,
    sender_id: sender,
    receiver_id: 'main',
    message_id: `legacy-${type}-${Math.random()}`,
    timestamp: new Date().toISOString(),
    data,
  };
}

test('legacy one-shot register, heartbeat and status work with --legacy-protocol', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(
    await MainProcess.start({ dataDir: join(dir.path, 'main'), args: ['--legacy-protocol'] }),
  );
  const register = legacy('register', 'old-android', {
    role: 'mobile',
    platform: 'android',
    cpu_count: 8,
    memory_total_gb: 4,
  });
  const registered = await oneShot(main.tcpPort, register);
  assert.equal(registered.message_type, 'ack');
  assert.equal(registered.data.original_message_id, register.message_id);
  assert.equal(registered.data.result.success, true);
  assert.equal(registered.data.result.device_id, 'old-android');

  const beat = await oneShot(
    main.tcpPort,
    legacy('heartbeat', 'old-android', { metrics: { cpu_percent: 12.5 } }),
  );
  assert.deepEqual(beat.data.result, { success: true, message: 'Heartbeat recorded' });

  const status = await oneShot(main.tcpPort, legacy('status', 'cli', {}));
  assert.equal(status.message_type, 'ack');
  assert.equal(status.data.result.online_devices, 1);
  assert.deepEqual(status.data.result.device_list, ['old-android']);

  const device = (await main.devices()).find((d) => d.device_id === 'old-android');
  assert.equal(device.role, 'mobile');
  assert.equal(device.platform, 'android');
  assert.equal(device.metrics.cpu_percent, 12.5);
  assert.deepEqual(device.task_types, [], 'a one-shot client cannot receive tasks');
});

test('legacy one-shot messages are refused without --legacy-protocol', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  const reply = await oneShot(main.tcpPort, legacy('register', 'old-android', {}));
  assert.equal(reply.message_type, 'error');
  assert.equal(reply.data.code, 'UNSUPPORTED_PROTOCOL');
  assert.match(reply.data.error, /--legacy-protocol/);
  assert.deepEqual(await main.devices(), []);
});
