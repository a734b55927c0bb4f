import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { MainProcess, ProcessGroup, WorkerProcess } from '../helpers/processes.ts';
import { SseReader } from '../helpers/sse.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';

test('SSE delivers the lifecycle of a task in order and resumes with Last-Event-ID', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const main = procs.add(await MainProcess.start({ dataDir: join(dir.path, 'main') }));
  procs.add(new WorkerProcess({ main, deviceId: 'w1', stateDir: join(dir.path, 'w1') }));
  await main.waitForDevice('w1');
  const auth = { authorization: `Bearer ${main.apiToken}` };

  const unauthorized = new SseReader(`${main.url}/api/v1/events`);
  await waitFor(() => unauthorized.status, 5000, 'a response');
  assert.equal(unauthorized.status, 401);

  const live = new SseReader(`${main.url}/api/v1/events?types=task.`, auth);
  await waitFor(() => live.comments.includes('connected'), 5000, 'the stream to open');
  const taskId = await main.submit({ task_type: 'echo', payload: 'sse' });
  const mine = () => live.events.filter((e) => e.data.task_id === taskId);
  await waitFor(() => mine().some((e) => e.event === 'task.success'), 10_000, 'task.success');
  assert.deepEqual(
    mine().map((e) => e.event),
    ['task.submitted', 'task.assigned', 'task.started', 'task.success'],
  );
  const ids = mine().map((e) => Number(e.id));
  assert.deepEqual(
    ids,
    [...ids].sort((a, b) => a - b),
    'ids increase',
  );
  assert.ok(
    live.events.every((e) => e.event.startsWith('task.')),
    'the type filter holds',
  );
  live.close();

  // Reconnect as a browser would after missing the last two events.
  const resumed = new SseReader(`${main.url}/api/v1/events?task_id=${taskId}`, {
    ...auth,
    'last-event-id': String(ids[1]),
  });
  await waitFor(() => resumed.events.length >= 2, 5000, 'the replay');
  assert.deepEqual(
    resumed.events.map((e) => e.event),
    ['task.started', 'task.success'],
  );
  assert.deepEqual(
    resumed.events.map((e) => Number(e.id)),
    ids.slice(2),
  );

  // Then it carries on live, with keep-alive comments while idle.
  const quiet = new SseReader(`${main.url}/api/v1/events?keepalive=0.2&types=device.`, auth);
  await waitFor(() => quiet.comments.includes('keep-alive'), 5000, 'a keep-alive comment');
  quiet.close();
  resumed.close();
});

test('event ids continue across a restart of the main node', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const dataDir = join(dir.path, 'main');
  let main = procs.add(await MainProcess.start({ dataDir }));
  await main.submit({ task_type: 'echo' });
  const first = new SseReader(`${main.url}/api/v1/events`, {
    authorization: `Bearer ${main.apiToken}`,
    'last-event-id': '0',
  });
  await waitFor(() => first.events.length >= 1, 5000, 'the stored event');
  const lastBefore = Number(first.events.at(-1)!.id);
  first.close();
  await main.kill('SIGTERM');

  main = procs.add(await MainProcess.start({ dataDir }));
  const reader = new SseReader(`${main.url}/api/v1/events`, {
    authorization: `Bearer ${main.apiToken}`,
    'last-event-id': String(lastBefore),
  });
  await waitFor(() => reader.comments.includes('connected'), 5000, 'the stream');
  await main.submit({ task_type: 'echo' });
  await waitFor(() => reader.events.length >= 1, 5000, 'a new event');
  assert.ok(Number(reader.events[0]!.id) > lastBefore);
  assert.equal(reader.events[0]!.event, 'task.submitted');
  reader.close();
});
