/**
 * Glossary
 * - migration: a plain SQL file `NNNN_name.sql` in ./migrations/; applied once, in version order,
 *   each in its own transaction, and recorded in `schema_migrations`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const FILE_NAME = /^(\d+)_(\w+)\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir)) {
    const match = FILE_NAME.exec(file);
    if (!match) continue;
    migrations.push({
      version: Number(match[1]),
      name: match[2]!,
      sql: readFileSync(join(dir, file), 'utf8'),
    });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new Error(`two migrations have version ${migrations[i]!.version} in ${dir}`);
    }
  }
  return migrations;
}

/** Applies the migrations not yet recorded; returns the versions it applied. */
export function applyMigrations(db: DatabaseSync, migrations: Migration[] = readMigrations()): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const newest = Number(db.prepare('SELECT coalesce(max(version), 0) AS v FROM schema_migrations').get()!.v);
  const known = migrations.at(-1)?.version ?? 0;
  if (newest > known) {
    // A newer program changed the schema; writing to it with this one could lose data.
    throw new Error(`its schema version ${newest} is newer than this program knows (${known})`);
  }
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const migration of migrations) {
    // Checked inside the write lock: another process may be opening the same file right now.
    db.exec('BEGIN IMMEDIATE');
    try {
      if (isApplied.get(migration.version) === undefined) {
        db.exec(migration.sql);
        record.run(migration.version, migration.name, Date.now());
        applied.push(migration.version);
      }
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      const file = `${String(migration.version).padStart(4, '0')}_${migration.name}.sql`;
      throw new Error(`migration ${file} failed: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }
  return applied;
}
