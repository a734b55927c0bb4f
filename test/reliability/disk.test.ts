/**
 * A data dir the main node cannot use — a file, a store that is a directory, a read-only mount, a
 * full disk — must stop it with a clear error naming the path, and must not damage a store that is
 * already there: back on a healthy disk, every accepted task is still in it.
 *
 * The read-only and full-disk cases mount a small tmpfs (root, or CAP_SYS_ADMIN); where mounting is
 * not allowed they are skipped and say so.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statfsSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { MainProcess, ProcessGroup } from '../helpers/processes.ts';
import { tempDir } from '../helpers/tempDir.ts';

/** Starts a main node that is expected to refuse to start; returns its exit code and stderr. */
async function failedStart(
  procs: ProcessGroup,
  dataDir: string,
): Promise<{ code: number | null; stderr: string }> {
  const main = procs.add(new MainProcess({ dataDir }));
  const { code } = await main.exited;
  assert.doesNotMatch(main.stdout, /is running/, 'it must not claim to be running');
  return { code, stderr: main.stderr };
}

/** The store's content: the database file and its write-ahead log (an empty log is no log). */
function digest(...paths: string[]): string {
  const hash = createHash('sha256');
  for (const path of paths) hash.update(existsSync(path) ? readFileSync(path) : '').update('\0');
  return hash.digest('hex');
}

/** A tmpfs of `size` at `path`, unmounted when the scope ends; null where mounting is not allowed. */
function mountTmpfs(
  path: string,
  size: string,
): ({ path: string; remount(mode: 'ro' | 'rw'): void } & Disposable) | null {
  mkdirSync(path, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path], { stdio: 'pipe' });
  } catch {
    return null;
  }
  return {
    path,
    remount: (mode) => execFileSync('mount', ['-o', `remount,${mode}`, path], { stdio: 'pipe' }),
    [Symbol.dispose]: () => {
      try {
        execFileSync('umount', [path], { stdio: 'pipe' });
      } catch {
        execFileSync('umount', ['-l', path], { stdio: 'pipe' });
      }
    },
  };
}

/** Fills the file system at `dir` until at most `leaveBytes` are free; returns the filler's path. */
function fill(dir: string, leaveBytes: number): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'a');
  const chunk = Buffer.alloc(16 * 1024, 0x61);
  try {
    for (;;) {
      const { bavail, bsize } = statfsSync(dir);
      const free = bavail * bsize;
      if (free <= leaveBytes) break;
      writeSync(fd, chunk, 0, Math.min(chunk.length, Math.max(bsize, free - leaveBytes)));
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return filler;
}

test('a data dir that is a file, or a store that is a directory: a clear error naming the path', async () => {
  using dir = tempDir();
  await using procs = new ProcessGroup();
  const file = join(dir.path, 'not-a-dir');
  writeFileSync(file, 'keep me\n');
  const asFile = await failedStart(procs, file);
  assert.equal(asFile.code, 1);
  assert.match(asFile.stderr, new RegExp(`error: .*${file}`));
  assert.equal(readFileSync(file, 'utf8'), 'keep me\n');

  const dataDir = join(dir.path, 'data');
  mkdirSync(join(dataDir, 'cluster.db'), { recursive: true });
  const storeIsDir = await failedStart(procs, dataDir);
  assert.equal(storeIsDir.code, 1);
  assert.match(storeIsDir.stderr, new RegExp(`cannot open store ${join(dataDir, 'cluster.db')}`));
});

test('read-only and full disks: a clear error at start, a clean stop when it fills later, the store intact', async (t) => {
  using dir = tempDir();
  using disk = mountTmpfs(join(dir.path, 'mnt'), '4m');
  if (!disk) {
    t.skip('cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): read-only and full disks not tested');
    return;
  }
  await using procs = new ProcessGroup();
  const dataDir = join(disk.path, 'data');
  const db = join(dataDir, 'cluster.db');
  const storeFiles = [db, `${db}-wal`];

  // A store with work in it (no worker: the tasks stay queued).
  let main = procs.add(await MainProcess.start({ dataDir }));
  const accepted: { id: string; payload: unknown }[] = [];
  for (let i = 0; i < 20; i++) {
    const payload = { i, text: 'x'.repeat(1000) };
    accepted.push({ id: await main.submit({ task_type: 'echo', payload }), payload });
  }
  await main.kill('SIGTERM');
  const before = digest(...storeFiles);

  // Read-only: refused at start, naming the path; nothing written.
  disk.remount('ro');
  const readOnly = await failedStart(procs, dataDir);
  assert.equal(readOnly.code, 1);
  assert.match(readOnly.stderr, new RegExp(`error: .*${dataDir}.*read-only`, 'i'));
  disk.remount('rw');
  assert.equal(digest(...storeFiles), before, 'the store is untouched');

  // Full, with the stale lock file a crash leaves: the lock is rewritten in place, the store fails.
  const pidFile = join(dataDir, 'main.pid');
  writeFileSync(pidFile, `${2 ** 22 - 1}\n`); // no such process
  let filler = fill(disk.path, 0);
  const fullAfterCrash = await failedStart(procs, dataDir);
  assert.equal(fullAfterCrash.code, 1);
  assert.match(
    fullAfterCrash.stderr,
    new RegExp(`error: .*${dataDir}.*(no space left|disk is full|disk I/O error)`, 'i'),
  );
  assert.equal(digest(...storeFiles), before, 'the store is untouched');
  // Full, no lock file: not even that can be written, and the error says which file.
  rmSync(pidFile, { force: true }); // the failed start released its lock
  fill(disk.path, 0);
  const full = await failedStart(procs, dataDir);
  assert.equal(full.code, 1);
  assert.match(full.stderr, new RegExp(`error: cannot write ${pidFile}: .*no space left`, 'i'));
  assert.equal(digest(...storeFiles), before, 'the store is untouched');
  rmSync(filler);
  rmSync(pidFile, { force: true });

  // Running when the disk fills: the node stops rather than acknowledge what it could not store.
  main = procs.add(await MainProcess.start({ dataDir }));
  filler = fill(disk.path, 512 * 1024);
  let refusedBy = '';
  for (let i = 0; i < 300 && !refusedBy; i++) {
    const payload = { i, text: 'y'.repeat(20_000) };
    const response = await fetch(`${main.url}/api/v1/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${main.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ task_type: 'echo', payload }),
      signal: AbortSignal.timeout(5000),
    }).catch((error: Error) => error);
    if (response instanceof Error) refusedBy = String(response.cause ?? response);
    else if (response.status !== 201) refusedBy = `${response.status} ${await response.text()}`;
    else accepted.push({ id: ((await response.json()) as any).data.task_id, payload });
  }
  assert.ok(refusedBy, 'the disk never filled');
  const { code } = await main.exited;
  assert.equal(code, 1);
  assert.match(main.stderr, new RegExp(`cannot write to store ${db}: database or disk is full`));
  rmSync(filler);

  // A healthy disk again: every accepted task is there, as it was accepted, and the file is sound.
  main = procs.add(await MainProcess.start({ dataDir }));
  for (const { id, payload } of accepted) {
    const task = await main.task(id);
    assert.equal(task.status, 'queued');
    assert.deepEqual(task.payload, payload);
  }
  await main.kill('SIGTERM');
  const check = new DatabaseSync(db, { readOnly: true });
  try {
    assert.deepEqual(
      check
        .prepare('PRAGMA integrity_check')
        .all()
        .map((row) => row.integrity_check),
      ['ok'],
    );
  } finally {
    check.close();
  }
  console.log(
    [readOnly.stderr, fullAfterCrash.stderr, full.stderr, refusedBy].map((m) => m.trim()).join('\n'),
  );
  console.log(`${accepted.length} accepted tasks survived a read-only and a full disk`);
});
