import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { test } from 'node:test';
import { MainProcess, ProcessGroup } from '../helpers/processes.ts';
import { RawDevice } from '../helpers/rawDevice.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

test('--wake-on-lan sends a magic packet to a sleeping device that queued work needs', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  // Packets go to a socket of the test's own on loopback, never to a real broadcast address.
  const listener = createSocket('udp4');
  const packets: Buffer[] = [];
  listener.on('message', (message) => packets.push(message));
  await new Promise<void>((resolve) => listener.bind(0, '127.0.0.1', resolve));
  try {
    const main = procs.add(
      await MainProcess.start({
        dataDir: join(dir.path, 'main'),
        args: ['--wake-on-lan'],
        env: { RC_WAKE_ON_LAN_ADDRESS: `127.0.0.1:${listener.address().port}` },
      }),
    );
    const nas = await RawDevice.register({
      port: main.tcpPort,
      joinToken: main.joinToken,
      deviceId: 'sleepy-nas',
      role: 'storage',
      capabilities: { mac: '0a:1b:2c:3d:4e:5f' },
    });
    nas.socket.destroy();
    await main.waitForDevice('sleepy-nas', 'offline', 15_000);
    await main.submit({ task_type: 'echo', requirements: { required_role: 'storage' } });
    await waitFor(() => packets.length > 0, 5000, 'a magic packet');
    assert.equal(packets[0]!.length, 102);
    assert.equal(packets[0]!.subarray(6, 12).toString('hex'), '0a1b2c3d4e5f');
  } finally {
    listener.close();
  }
});
