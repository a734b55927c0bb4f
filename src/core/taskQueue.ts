/**
 * Queued tasks in placement order: priority, then age (submission sequence). One sorted lane per
 * priority; removal is lazy (a removed id is skipped and compacted away later), so cancelling or
 * placing a task from the middle costs O(1).
 *
 * Each lane keeps a head index past the entries already known to be dead. Placement takes tasks from
 * the front, so without it every scheduling pass would walk over all the tasks placed since the last
 * compaction: quadratic under a steady stream of work.
 */
import type { Priority } from '../protocol/messages.ts';
import { PRIORITY_RANK } from './task.ts';

interface Entry {
  id: string;
  seq: number;
}

interface Lane {
  entries: Entry[];
  /** Every entry before this index is dead. */
  head: number;
}

const LANES: readonly Priority[] = ['urgent', 'high', 'normal', 'low'];

export class TaskQueue {
  #lanes: Lane[] = LANES.map(() => ({ entries: [], head: 0 }));
  #live = new Map<string, Entry>();
  /** Dead entries at or after their lane's head. */
  #dead = 0;

  get size(): number {
    return this.#live.size;
  }

  has(id: string): boolean {
    return this.#live.has(id);
  }

  push(id: string, seq: number, priority: Priority): void {
    if (this.#live.has(id)) return;
    const lane = this.#lanes[PRIORITY_RANK[priority]]!;
    const entries = lane.entries;
    const entry = { id, seq };
    this.#live.set(id, entry);
    if (entries.length === lane.head || entries[entries.length - 1]!.seq <= seq) {
      entries.push(entry);
      return;
    }
    // A retried task keeps its age, so it goes back in front of younger ones.
    let lo = lane.head;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (entries[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    entries.splice(lo, 0, entry);
  }

  remove(id: string): void {
    if (this.#live.delete(id)) this.#dead++;
  }

  /** Live ids in placement order. Removing the yielded id while iterating is allowed. */
  *ordered(): Generator<string> {
    this.#compactIfSparse();
    for (const lane of this.#lanes) {
      this.#skipDeadHead(lane);
      const entries = lane.entries;
      for (let i = lane.head; i < entries.length; i++) {
        const entry = entries[i]!;
        if (this.#live.get(entry.id) === entry) yield entry.id;
      }
    }
  }

  #isLive(entry: Entry): boolean {
    return this.#live.get(entry.id) === entry;
  }

  /** Moves the head past dead entries; drops the dead prefix once it is most of the lane. */
  #skipDeadHead(lane: Lane): void {
    const entries = lane.entries;
    while (lane.head < entries.length && !this.#isLive(entries[lane.head]!)) {
      lane.head++;
      this.#dead--;
    }
    if (lane.head === entries.length) {
      lane.entries = [];
      lane.head = 0;
    } else if (lane.head >= 1024 && lane.head * 2 >= entries.length) {
      lane.entries = entries.slice(lane.head);
      lane.head = 0;
    }
  }

  #compactIfSparse(): void {
    if (this.#dead < 1024 || this.#dead < this.#live.size) return;
    for (const lane of this.#lanes) {
      lane.entries = lane.entries.slice(lane.head).filter((entry) => this.#isLive(entry));
      lane.head = 0;
    }
    this.#dead = 0;
  }
}
