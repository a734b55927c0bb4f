import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cluster } from '../../src/core/cluster.ts';
import { magicPacket, parseWakeAddress } from '../../src/main/wakeOnLan.ts';
import { metrics, OPTIONS, profile } from './fixtures.ts';

function cluster() {
  let n = 0;
  return new Cluster({ newId: () => `task-${++n}` }, { ...OPTIONS, wakeIntervalMs: 60_000 });
}

test('Wake-on-LAN: a sleeping device with a MAC is woken for work only it can take, once per interval', () => {
  const c = cluster();
  const nasProfile = { ...profile('nas'), role: 'storage', capabilities: { mac: 'aa:bb:cc:dd:ee:ff' } };
  c.register(nasProfile, 'h', [], metrics(), 0);
  c.register(profile('phone'), 'h', [], metrics(), 0);
  c.disconnect('nas', 1);
  c.heartbeat('phone', metrics(), OPTIONS.heartbeatTimeoutMs);
  c.tick(1 + OPTIONS.heartbeatTimeoutMs + 1); // the NAS goes to sleep; the phone stays
  c.takeChanges();

  // Work the phone can do wakes nobody.
  c.submit({ task_type: 'echo' }, 10_000);
  c.schedule(10_000);
  assert.deepEqual(
    c.takeChanges().effects.filter((e) => e.kind === 'wake'),
    [],
  );

  // Work only the NAS can do wakes it, once.
  c.submit({ task_type: 'echo', requirements: { required_role: 'storage' } }, 10_001);
  c.schedule(10_001);
  assert.deepEqual(
    c.takeChanges().effects.filter((e) => e.kind === 'wake'),
    [{ kind: 'wake', device_id: 'nas', mac: 'aa:bb:cc:dd:ee:ff' }],
  );
  c.submit({ task_type: 'echo', requirements: { required_role: 'storage' } }, 20_000);
  c.schedule(20_000);
  assert.equal(
    c.takeChanges().effects.filter((e) => e.kind === 'wake').length,
    0,
    'not again within the interval',
  );
  c.submit({ task_type: 'echo', requirements: { required_role: 'storage' } }, 80_000);
  c.schedule(80_000);
  assert.equal(c.takeChanges().effects.filter((e) => e.kind === 'wake').length, 1, 'again after it');
});

test('Wake-on-LAN is off by default, and devices without a MAC are never woken', () => {
  let n = 0;
  const off = new Cluster({ newId: () => `t${++n}` }, OPTIONS);
  off.register(
    { ...profile('nas'), role: 'storage', capabilities: { mac: 'aa:bb:cc:dd:ee:ff' } },
    'h',
    [],
    metrics(),
    0,
  );
  off.disconnect('nas', 1);
  off.submit({ task_type: 'echo', requirements: { required_role: 'storage' } }, 5);
  off.schedule(5);
  assert.equal(off.takeChanges().effects.filter((e) => e.kind === 'wake').length, 0);

  const c = cluster();
  c.register({ ...profile('nas'), role: 'storage' }, 'h', [], metrics(), 0);
  c.disconnect('nas', 1);
  c.submit({ task_type: 'echo', requirements: { required_role: 'storage' } }, 5);
  c.schedule(5);
  assert.equal(c.takeChanges().effects.filter((e) => e.kind === 'wake').length, 0);
});

test('the magic packet is 6 x 0xFF then the MAC 16 times', () => {
  const packet = magicPacket('01:23:45:67:89:ab');
  assert.equal(packet.length, 102);
  assert.deepEqual([...packet.subarray(0, 6)], [255, 255, 255, 255, 255, 255]);
  for (let i = 0; i < 16; i++)
    assert.equal(packet.subarray(6 + i * 6, 12 + i * 6).toString('hex'), '0123456789ab');
  assert.throws(() => magicPacket('nope'), /not a MAC/);
  assert.deepEqual(parseWakeAddress('192.168.1.255:7'), { host: '192.168.1.255', port: 7 });
  assert.deepEqual(parseWakeAddress('10.0.0.255'), { host: '10.0.0.255', port: 9 });
});
