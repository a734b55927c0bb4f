/**
 * A batch as rows: every value the store writes, copied out of the live domain objects at once
 * (they keep changing after `commit` returns), as plain arrays a connection can write.
 */
import type { SQLInputValue } from 'node:sqlite';
import { deviceParams, eventParams, heartbeatParams, taskParams } from './sqliteRows.ts';
import type { Batch } from './store.ts';

export interface EncodedBatch {
  removedDevices: string[];
  /** When the removals were revoked, ms since the epoch. */
  at: number;
  devices: SQLInputValue[][];
  /** taskParams() rows; [0] is the seq, [1] the task id. */
  tasks: SQLInputValue[][];
  heartbeats: SQLInputValue[][];
  /** eventParams() rows; [1] is the task id, [2] the task's seq, filled in by the writer. */
  events: SQLInputValue[][];
  /** Every task seq at or below this one is already stored (see BatchWriter). */
  storedMaxSeq: number;
}

export function encodeBatch(batch: Batch, storedMaxSeq: number): EncodedBatch {
  return {
    removedDevices: [...batch.removedDevices],
    at: Date.now(),
    devices: batch.devices.map(deviceParams),
    tasks: batch.tasks.map(taskParams),
    heartbeats: batch.heartbeats.map(heartbeatParams),
    events: batch.events.map((event) => eventParams(event, null)),
    storedMaxSeq,
  };
}

/** The highest task seq stored once this batch is. */
export function maxSeqAfter(encoded: EncodedBatch): number {
  let max = encoded.storedMaxSeq;
  for (const row of encoded.tasks) max = Math.max(max, row[0] as number);
  return max;
}
