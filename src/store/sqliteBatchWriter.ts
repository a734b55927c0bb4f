/** Writes encoded batches on one connection, each in one transaction. */
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { EncodedBatch } from './sqliteBatch.ts';
import type { Statements } from './sqliteStatements.ts';

export class BatchWriter {
  #db: DatabaseSync;
  #sql: Statements;
  #heartbeatHistory: number;

  /** `sql`: the statements prepared on `db`. */
  constructor(db: DatabaseSync, sql: Statements, heartbeatHistory: number) {
    this.#db = db;
    this.#sql = sql;
    this.#heartbeatHistory = heartbeatHistory;
  }

  /** Throws (after rolling back) if any row fails: a batch is stored whole or not at all. */
  commit(batch: EncodedBatch): void {
    const db = this.#db;
    try {
      db.exec('BEGIN IMMEDIATE');
      this.#write(batch);
      db.exec('COMMIT');
    } catch (error) {
      // Some errors (a full disk) make SQLite roll back by itself.
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }

  #write(batch: EncodedBatch): void {
    const sql = this.#sql;
    // Removals first: a device removed and registered again in one batch is in both lists.
    for (const deviceId of batch.removedDevices) {
      sql.deleteDevice.run(deviceId);
      sql.revokeDevice.run(deviceId, batch.at);
      sql.deleteHeartbeats.run(deviceId);
    }
    const written = new Set<string>();
    for (const row of batch.devices) {
      sql.upsertDevice.run(...row);
      written.add(row[0] as string);
    }
    let maxSeq = batch.storedMaxSeq;
    const seqs = new Map<string, number>();
    for (const row of batch.tasks) {
      const seq = row[0] as number;
      // Submission order is seq order, so a new task is almost always above what is stored: it is
      // inserted without looking first. Any other is updated, or inserted if it was not there.
      if (seq > maxSeq || Number(sql.updateTask.run(...row).changes) === 0) {
        sql.insertTask.run(...row);
        maxSeq = Math.max(maxSeq, seq);
      }
      seqs.set(row[1] as string, seq);
    }
    const removed = new Set(batch.removedDevices.filter((id) => !written.has(id)));
    const sampled = new Set<string>();
    for (const row of batch.heartbeats) {
      const deviceId = row[0] as string;
      if (removed.has(deviceId)) continue;
      sql.insertHeartbeat.run(...row);
      sampled.add(deviceId);
    }
    for (const deviceId of sampled) sql.pruneHeartbeats.run(deviceId, this.#heartbeatHistory);
    for (const row of batch.events) {
      const taskId = row[1] as string | null;
      if (taskId !== null) {
        row[2] = seqs.get(taskId) ?? this.#storedSeq(taskId);
        // Found again through the seq (sqliteStatements.ts): a third of the row not written.
        if (row[2] !== null) row[1] = null;
      }
      sql.insertEvent.run(...row);
    }
  }

  /** An event about a task not in this batch (a fenced result, say): its seq comes from the store. */
  #storedSeq(taskId: string): SQLInputValue {
    const row = this.#sql.taskSeq.get(taskId) as { seq: number } | undefined;
    return row === undefined ? null : row.seq;
  }
}
