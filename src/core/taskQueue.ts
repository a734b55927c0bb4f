/**
 * Queued tasks in placement order: priority, then age (submission sequence). One sorted lane per
 * priority; removal is lazy (a removed id is skipped and compacted away later), so cancelling or
 * placing a task from the middle costs O(1).
 */
import type { Priority } from '../protocol/messages.ts';
import { PRIORITY_RANK } from './task.ts';

interface Entry {
  id: string;
  seq: number;
}

const LANES: readonly Priority[] = ['urgent', 'high', 'normal', 'low'];

export class TaskQueue {
  #lanes: Entry[][] = LANES.map(() => []);
  #live = new Map<string, Entry>();
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
    const entry = { id, seq };
    this.#live.set(id, entry);
    if (lane.length === 0 || lane[lane.length - 1]!.seq <= seq) {
      lane.push(entry);
      return;
    }
    // A retried task keeps its age, so it goes back in front of younger ones.
    let lo = 0;
    let hi = lane.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lane[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    lane.splice(lo, 0, entry);
  }

  remove(id: string): void {
    if (this.#live.delete(id)) this.#dead++;
  }

  /** Live ids in placement order. Removing the yielded id while iterating is allowed. */
  *ordered(): Generator<string> {
    this.#compactIfSparse();
    for (const lane of this.#lanes) {
      for (const entry of lane) if (this.#live.get(entry.id) === entry) yield entry.id;
    }
  }

  #compactIfSparse(): void {
    if (this.#dead < 1024 || this.#dead < this.#live.size) return;
    this.#lanes = this.#lanes.map((lane) => lane.filter((entry) => this.#live.get(entry.id) === entry));
    this.#dead = 0;
  }
}
