/**
 * A network partition with no FIN: the worker reaches the main node through a proxy that can stop
 * moving bytes without closing anything (what a dead Wi-Fi or a pulled cable looks like to both
 * ends). The main node must notice from the missing heartbeats alone, move the work, fence the late
 * result when the link comes back, and take the device back.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { isFinished, MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { TcpProxy } from '../helpers/tcpProxy.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

/** FAST_MAIN_ARGS: heartbeat timeout 5 s. */
const HEARTBEAT_TIMEOUT_MS = 5000;

test('a worker partitioned without a FIN: offline after the heartbeat timeout, task retried elsewhere, clean rejoin', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  await using proxy = await TcpProxy.start(main.tcpPort);
  procs.add(
    new WorkerProcess({
      main: { tcpPort: proxy.port, joinToken: main.joinToken },
      deviceId: 'remote',
      stateDir: join(dir.path, 'remote'),
    }),
  );
  await main.waitForDevice('remote');
  const id = await main.submit({ task_type: 'sleep', payload: { duration: 1 } });
  await main.waitForTask(id, (t) => t.status === 'running' && t.assigned_device_id === 'remote');
  procs.add(new WorkerProcess({ main, deviceId: 'local', stateDir: join(dir.path, 'local') }));
  await main.waitForDevice('local');

  proxy.cut();
  const cutAt = Date.now();
  await main.waitForDevice('remote', 'offline', HEARTBEAT_TIMEOUT_MS + 10_000);
  const silentFor = Date.now() - cutAt;
  // The last heartbeat was at most one interval before the cut: offline within the timeout, plus margin.
  assert.ok(silentFor >= HEARTBEAT_TIMEOUT_MS - 2000, `offline after only ${silentFor} ms`);
  assert.ok(silentFor <= HEARTBEAT_TIMEOUT_MS + 3000, `offline only after ${silentFor} ms`);

  const retried = await main.waitForTask(id, isFinished, 20_000);
  assert.equal(retried.status, 'success');
  assert.equal(retried.assigned_device_id, 'local');
  assert.equal(retried.attempt, 2);
  assert.equal(retried.error_history.length, 1);
  assert.equal(retried.error_history[0].device_id, 'remote');
  assert.equal(retried.error_history[0].status, 'lost');
  // The partition really held: nothing from the remote side got through meanwhile.
  assert.equal((await main.devices()).find((d) => d.device_id === 'remote').status, 'offline');

  // The worker, hearing nothing either, gives up on the silent link and dials again (held by the cut).
  await waitFor(() => proxy.held > 0, 15_000, 'the worker to redial on its own');
  proxy.heal();
  await main.waitForDevice('remote', 'online', 20_000);
  // Attempt 1 finished on the far side during the partition; its result arrives now and is fenced.
  const fenced = await waitFor(
    async () => {
      const { body } = await main.api('GET', `/api/v1/tasks/${id}/events`);
      return body.data.events.find((e: any) => e.type === 'task.result_fenced' && e.device_id === 'remote');
    },
    10_000,
    'the late result to be fenced',
  );
  assert.equal(fenced.data.attempt, 1);
  const after = await main.task(id);
  assert.equal(after.status, 'success');
  assert.equal(after.result.device_id, 'local');
  assert.equal(after.result.attempt, 2);

  // Back in service: it takes new work.
  const again = await main.submit({
    task_type: 'echo',
    payload: 'back again',
    requirements: { device_id: 'remote' },
  });
  const done = await main.waitForTask(again, isFinished, 15_000);
  assert.equal(done.status, 'success');
  assert.equal(done.assigned_device_id, 'remote');
  assert.deepEqual(done.result.result_data, { echo: 'back again' });
});
