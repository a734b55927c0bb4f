import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { applyMigrations, readMigrations } from '../../src/store/migrations.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { tempDir } from '../helpers/tempDir.ts';

function recorded(path: string): { version: number; name: string; applied_at: number }[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db
      .prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version')
      .all() as never;
  } finally {
    db.close();
  }
}

test('migrations apply once and are recorded; reopening does not apply them again', async () => {
  using dir = tempDir();
  const path = join(dir.path, 'rc.db');
  await SqliteStore.open(path).close();
  const first = recorded(path);
  assert.deepEqual(
    first.map(({ version, name }) => ({ version, name })),
    [
      { version: 1, name: 'init' },
      { version: 2, name: 'revoked_devices' },
      { version: 3, name: 'tasks_by_seq' },
      { version: 4, name: 'compact_task_rows' },
    ],
  );
  assert.ok(first[0]!.applied_at > 0);

  await SqliteStore.open(path).close();
  assert.deepEqual(recorded(path), first);
});

test('only the migrations not yet recorded are applied, in version order', () => {
  using dir = tempDir();
  writeFileSync(join(dir.path, '0002_second.sql'), 'CREATE TABLE second (x INTEGER) STRICT;');
  writeFileSync(join(dir.path, '0001_first.sql'), 'CREATE TABLE first (x INTEGER) STRICT;');
  writeFileSync(join(dir.path, 'README.md'), 'not a migration');
  const db = new DatabaseSync(':memory:');
  const [first, second] = readMigrations(dir.path);
  assert.deepEqual(applyMigrations(db, [first!]), [1]);
  assert.deepEqual(applyMigrations(db, [first!, second!]), [2]);
  assert.deepEqual(applyMigrations(db, [first!, second!]), []);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
  assert.deepEqual(
    tables.map((t) => t.name),
    ['first', 'schema_migrations', 'second'],
  );
  db.close();
});

test('a failing migration is rolled back and named in the error', () => {
  using dir = tempDir();
  writeFileSync(join(dir.path, '0001_ok.sql'), 'CREATE TABLE ok (x INTEGER);');
  writeFileSync(join(dir.path, '0002_broken.sql'), 'CREATE TABLE half (x INTEGER); NOT SQL;');
  const db = new DatabaseSync(':memory:');
  assert.throws(() => applyMigrations(db, readMigrations(dir.path)), /migration 0002_broken\.sql failed/);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
  assert.deepEqual(
    tables.map((t) => t.name),
    ['ok', 'schema_migrations'],
  );
  db.close();
});

test('a store whose schema is newer than this program is refused', async () => {
  using dir = tempDir();
  const path = join(dir.path, 'rc.db');
  await SqliteStore.open(path).close();
  const db = new DatabaseSync(path);
  db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, 0)').run('future');
  db.close();
  assert.throws(() => SqliteStore.open(path), {
    name: 'StoreError',
    message: new RegExp(`cannot open store ${path}: .*schema version 999 is newer`),
  });
});
