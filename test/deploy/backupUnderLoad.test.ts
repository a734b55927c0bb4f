import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { submitSteadily } from '../helpers/load.ts';
import { cli } from '../helpers/cli.ts';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

test('retire-cluster backup while a main node runs under load; the restored node has every task and device', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  procs.add(
    new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1'), args: ['--max-tasks', '4'] }),
  );
  await main.waitForDevice('w1');
  const load = submitSteadily({
    url: main.url,
    token: main.apiToken,
    count: 150,
    pauseMs: 5,
    task: (i) => ({ task_type: 'echo', payload: { i } }),
  });
  await waitFor(() => load.accepted.length >= 40, 20_000, 'load to build up');

  const backup = join(dir.path, 'backup.db');
  const acceptedBefore = load.accepted.length; // acknowledged, so durable, before the backup begins
  const made = await cli(['backup', '--out', backup, '--data-dir', main.dataDir]);
  assert.equal(made.code, 0, made.stderr);
  assert.ok(load.accepted.length > acceptedBefore, 'the node kept taking work during the backup');
  await load.done;

  const refused = await cli(['restore', backup, '--data-dir', main.dataDir]);
  assert.equal(refused.code, 1, 'a running main node is never overwritten');
  assert.match(refused.stderr, /is running on/);

  const restoredDir = join(dir.path, 'restored');
  const restored = await cli(['restore', backup, '--data-dir', restoredDir]);
  assert.equal(restored.code, 0, restored.stderr);
  const copy = procs.add(await MainProcess.start({ dataDir: restoredDir }));
  const devices = await copy.devices();
  assert.deepEqual(
    devices.map((d) => d.device_id),
    ['w1'],
  );
  const missing: string[] = [];
  for (const { task_id, body } of load.accepted.slice(0, acceptedBefore)) {
    const { status, body: reply } = await copy.api('GET', `/api/v1/tasks/${task_id}`);
    if (status !== 200) missing.push(`${task_id}: ${status} ${JSON.stringify(reply).slice(0, 200)}`);
    else assert.deepEqual(reply.data.task.payload, body.payload);
  }
  assert.deepEqual(missing, [], `of ${acceptedBefore}`);
});
