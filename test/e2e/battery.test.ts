import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

test('a worker on a fake 12% discharging battery gets no tasks until the battery says charging', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const sysfs = join(dir.path, 'sys');
  const battery = join(sysfs, 'class', 'power_supply', 'BAT0');
  mkdirSync(battery, { recursive: true });
  writeFileSync(join(battery, 'type'), 'Battery\n');
  writeFileSync(join(battery, 'capacity'), '12\n');
  writeFileSync(join(battery, 'status'), 'Discharging\n');

  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  procs.add(
    new WorkerProcess({
      main,
      deviceId: 'phone',
      stateDir: join(dir.path, 'phone'),
      args: ['--sysfs-root', sysfs],
    }),
  );
  const paused = await waitFor(
    async () => (await main.devices()).find((d) => d.device_id === 'phone' && d.paused_reason),
    15_000,
    'the phone to show why it is paused',
  );
  assert.equal(paused.status, 'online');
  assert.match(paused.paused_reason, /battery 12% and not charging/);
  assert.equal(paused.effective_slots, 0);
  assert.equal(paused.free_slots, 0);
  assert.equal(paused.metrics.battery_percent, 12);

  const taskId = await main.submit({ task_type: 'echo', payload: 'hi' });
  // Two more heartbeats come and go; the task is still waiting for a device.
  const seen = paused.last_seen;
  for (let beats = 0; beats < 2; beats++) {
    const before = beats === 0 ? seen : (await main.devices()).find((d) => d.device_id === 'phone').last_seen;
    await waitFor(
      async () => (await main.devices()).find((d) => d.device_id === 'phone' && d.last_seen > before),
      10_000,
      'another heartbeat',
    );
  }
  const waiting = await main.task(taskId);
  assert.equal(waiting.status, 'queued');
  assert.equal(waiting.attempt, 0);

  writeFileSync(join(battery, 'status'), 'Charging\n');
  const done = await main.waitForTask(taskId);
  assert.equal(done.status, 'success');
  assert.equal(done.assigned_device_id, 'phone');
  assert.deepEqual(done.result.result_data, { echo: 'hi' });
  const resumed = (await main.devices()).find((d) => d.device_id === 'phone');
  assert.equal(resumed.paused_reason, null);
});
