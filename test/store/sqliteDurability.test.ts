import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { tempDir } from '../helpers/tempDir.ts';
import { waitFor } from '../helpers/waitFor.ts';
import { batch, makeDevice, makeTask } from './fixtures/sample.ts';

const CHILD = fileURLToPath(new URL('./fixtures/commitThenHang.ts', import.meta.url));

test('a committed batch survives the process being killed with SIGKILL', async () => {
  using dir = tempDir();
  const path = join(dir.path, 'rc.db');
  const child = spawn(process.execPath, [CHILD, path, '500'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit');
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  try {
    await waitFor(
      () => stdout.includes('committed') || child.exitCode !== null,
      20_000,
      'the child to commit',
    );
    assert.match(stdout, /committed/, `child failed: ${stderr}`);
  } finally {
    child.kill('SIGKILL');
  }
  const [code, signal] = await exited;
  assert.equal(code, null);
  assert.equal(signal, 'SIGKILL');
  // The batch lives only in the write-ahead log: nothing checkpointed it, nothing closed the file.
  assert.ok(statSync(`${path}-wal`).size > 0);

  await using store = SqliteStore.open(path);
  const snapshot = await store.load({ recentFinished: 0 });
  assert.equal(snapshot.tasks.length, 500);
  assert.deepEqual(snapshot.tasks[499], makeTask(500));
  assert.deepEqual(
    snapshot.devices.map((device) => device.device_id),
    ['dev-a'],
  );
  assert.equal((await store.eventsAfter(0, 1000)).length, 500);
  assert.equal((await store.heartbeats('dev-a', 10)).length, 1);
});

test('backup makes a consistent copy while the store is open and being written', async () => {
  using dir = tempDir();
  const path = join(dir.path, 'rc.db');
  const copyPath = join(dir.path, 'backups', 'copy.db');
  await using store = SqliteStore.open(path);
  const before = Array.from({ length: 5_000 }, (_, i) => makeTask(i + 1));
  await store.commit(batch({ tasks: before, devices: [makeDevice('dev-a')] }));

  let done = false;
  const copying = store.backup(copyPath).finally(() => (done = true));
  // Batches of ten tasks each keep landing while the copy is being made.
  let seq = before.length;
  while (!done) {
    const tasks = Array.from({ length: 10 }, () => makeTask(++seq));
    await store.commit(batch({ tasks }));
    await new Promise(setImmediate);
  }
  await copying;
  await store.commit(batch({ tasks: [makeTask(++seq)] }));

  const check = new DatabaseSync(copyPath, { readOnly: true });
  assert.equal(check.prepare('PRAGMA integrity_check').get()!.integrity_check, 'ok');
  check.close();
  await using copy = SqliteStore.open(copyPath);
  const { tasks, devices } = await copy.load({ recentFinished: 0 });
  assert.deepEqual(tasks.slice(0, before.length), before);
  assert.equal(devices.length, 1);
  // Whole batches only, and none of what came after the copy finished.
  assert.equal((tasks.length - before.length) % 10, 0);
  assert.ok(tasks.length < seq);
  assert.deepEqual(
    tasks.map((task) => task.seq),
    Array.from({ length: tasks.length }, (_, i) => i + 1),
  );
  // The source carries on.
  assert.equal((await store.load({ recentFinished: 0 })).tasks.length, seq);
});

test('backup refuses to overwrite the store itself', async () => {
  using dir = tempDir();
  const path = join(dir.path, 'rc.db');
  await using store = SqliteStore.open(path);
  await assert.rejects(store.backup(join(dir.path, '.', 'rc.db')), /destination is the store itself/);
});

test('a data file that cannot be opened gives an error naming the path and the cause', () => {
  using dir = tempDir();
  const notADir = join(dir.path, 'file');
  writeFileSync(notADir, 'x');
  const underFile = join(notADir, 'rc.db');
  assert.throws(() => SqliteStore.open(underFile), {
    name: 'StoreError',
    message: new RegExp(`^cannot open store ${underFile}: .*(EEXIST|ENOTDIR|not a directory)`),
  });

  const isDir = join(dir.path, 'dir.db');
  mkdirSync(isDir);
  assert.throws(() => SqliteStore.open(isDir), {
    name: 'StoreError',
    message: new RegExp(`^cannot open store ${isDir}: .+`),
  });

  const garbage = join(dir.path, 'garbage.db');
  writeFileSync(garbage, 'this is not a database, it is only text that is long enough'.repeat(100));
  assert.throws(() => SqliteStore.open(garbage), {
    name: 'StoreError',
    message: new RegExp(`^cannot open store ${garbage}: file is not a database`),
  });
});
