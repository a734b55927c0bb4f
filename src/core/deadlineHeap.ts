/**
 * A min-heap of deadlines: every timer of the cluster. A deadline is named by its kind, the id of
 * what it concerns (a task, a device) and an attempt number (0 where there is none); pushing the
 * same name again moves it, and `delete` drops it when it no longer matters (a task that finished
 * before its timeout), so the heap holds what is pending, not everything ever scheduled. Whoever
 * pops an entry still checks that it applies; nothing depends on a moot entry having been deleted.
 *
 * Names are looked up by id, then along the few deadlines that id has: building a string key per
 * deadline (and hashing it) cost more than the heap itself at tens of thousands of tasks a second.
 */
export interface Deadline {
  at: number;
  kind: string;
  id: string;
  attempt: number;
}

interface Entry extends Deadline {
  /** Position in the heap array, kept up to date by every move. */
  index: number;
  /** The next deadline of the same id. */
  next: Entry | null;
}

export class DeadlineHeap {
  #items: Entry[] = [];
  /** The first of each id's deadlines. */
  #byId = new Map<string, Entry>();

  get size(): number {
    return this.#items.length;
  }

  push(at: number, kind: string, id: string, attempt = 0): void {
    const existing = this.#find(kind, id, attempt);
    if (existing) {
      existing.at = at;
      this.#siftUp(existing.index);
      this.#siftDown(existing.index);
      return;
    }
    const entry: Entry = {
      at,
      kind,
      id,
      attempt,
      index: this.#items.length,
      next: this.#byId.get(id) ?? null,
    };
    this.#byId.set(id, entry);
    this.#items.push(entry);
    this.#siftUp(entry.index);
  }

  /** Drops the deadline so named, if there is one. */
  delete(kind: string, id: string, attempt = 0): void {
    const entry = this.#find(kind, id, attempt);
    if (entry) this.#removeAt(entry.index);
  }

  /**
   * Drops every deadline of `id` whose kind is one of `kinds`: those of a task that finished, say.
   * Kinds name the namespace too: a device may carry the same id as a task.
   */
  deleteAll(id: string, kinds: readonly string[]): void {
    let before: Entry | null = null;
    let entry = this.#byId.get(id) ?? null;
    while (entry !== null) {
      const next: Entry | null = entry.next;
      if (kinds.includes(entry.kind)) {
        if (before !== null) before.next = next;
        else if (next !== null) this.#byId.set(id, next);
        else this.#byId.delete(id);
        this.#detach(entry.index);
      } else {
        before = entry;
      }
      entry = next;
    }
  }

  /** When the earliest deadline comes, if there is one. */
  peekAt(): number | undefined {
    return this.#items[0]?.at;
  }

  /** Removes and returns every deadline due at or before `now`, earliest first. */
  popDue(now: number): Deadline[] {
    const due: Deadline[] = [];
    while (this.#items.length > 0 && this.#items[0]!.at <= now) {
      const { at, kind, id, attempt } = this.#items[0]!;
      this.#removeAt(0);
      due.push({ at, kind, id, attempt });
    }
    return due;
  }

  #find(kind: string, id: string, attempt: number): Entry | undefined {
    for (let entry: Entry | null | undefined = this.#byId.get(id); entry; entry = entry.next) {
      if (entry.kind === kind && entry.attempt === attempt) return entry;
    }
    return undefined;
  }

  #removeAt(index: number): void {
    this.#unlink(this.#items[index]!);
    this.#detach(index);
  }

  /** Takes the entry at `index` out of the heap array (not out of its id's list). */
  #detach(index: number): void {
    const items = this.#items;
    const entry = items[index]!;
    const last = items.pop()!;
    if (last === entry) return;
    items[index] = last;
    last.index = index;
    this.#siftUp(index);
    this.#siftDown(last.index);
  }

  #unlink(entry: Entry): void {
    const head = this.#byId.get(entry.id)!;
    if (head === entry) {
      if (entry.next) this.#byId.set(entry.id, entry.next);
      else this.#byId.delete(entry.id);
      return;
    }
    let before = head;
    while (before.next !== entry) before = before.next!;
    before.next = entry.next;
  }

  #siftUp(index: number): void {
    const items = this.#items;
    const entry = items[index]!;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = items[parent]!;
      if (above.at <= entry.at) break;
      items[i] = above;
      above.index = i;
      i = parent;
    }
    items[i] = entry;
    entry.index = i;
  }

  #siftDown(index: number): void {
    const items = this.#items;
    const entry = items[index]!;
    const length = items.length;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && items[right]!.at < items[left]!.at ? right : left;
      const below = items[child]!;
      if (below.at >= entry.at) break;
      items[i] = below;
      below.index = i;
      i = child;
    }
    items[i] = entry;
    entry.index = i;
  }
}
