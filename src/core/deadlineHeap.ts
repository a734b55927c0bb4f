/**
 * A min-heap of (time, key): every timer of the cluster. A key names one deadline: pushing it again
 * moves it, and `delete` drops it when it no longer matters (a task that finished before its
 * timeout), so the heap holds what is pending, not everything ever scheduled. Whoever pops an entry
 * still checks that it applies; nothing depends on a moot entry having been deleted.
 */
export interface Deadline {
  at: number;
  key: string;
}

interface Entry extends Deadline {
  /** Position in the heap array, kept up to date by every move. */
  index: number;
}

export class DeadlineHeap {
  #items: Entry[] = [];
  #byKey = new Map<string, Entry>();

  get size(): number {
    return this.#items.length;
  }

  push(at: number, key: string): void {
    const existing = this.#byKey.get(key);
    if (existing) {
      existing.at = at;
      this.#siftUp(existing.index);
      this.#siftDown(existing.index);
      return;
    }
    const entry: Entry = { at, key, index: this.#items.length };
    this.#items.push(entry);
    this.#byKey.set(key, entry);
    this.#siftUp(entry.index);
  }

  /** Drops the deadline named `key`, if there is one. */
  delete(key: string): void {
    const entry = this.#byKey.get(key);
    if (entry) this.#removeAt(entry.index);
  }

  peek(): Deadline | undefined {
    const top = this.#items[0];
    return top && { at: top.at, key: top.key };
  }

  /** Removes and returns every entry due at or before `now`, earliest first. */
  popDue(now: number): Deadline[] {
    const due: Deadline[] = [];
    while (this.#items.length > 0 && this.#items[0]!.at <= now) {
      const top = this.#items[0]!;
      this.#removeAt(0);
      due.push({ at: top.at, key: top.key });
    }
    return due;
  }

  #removeAt(index: number): void {
    const items = this.#items;
    const entry = items[index]!;
    this.#byKey.delete(entry.key);
    const last = items.pop()!;
    if (last === entry) return;
    items[index] = last;
    last.index = index;
    this.#siftUp(index);
    this.#siftDown(last.index);
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
