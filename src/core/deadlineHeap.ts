/**
 * A min-heap of (time, key). Entries are never removed early: whoever pops one checks whether it still
 * applies, which keeps heartbeats and results free of heap work.
 */
export interface Deadline {
  at: number;
  key: string;
}

export class DeadlineHeap {
  #items: Deadline[] = [];

  get size(): number {
    return this.#items.length;
  }

  push(at: number, key: string): void {
    const items = this.#items;
    items.push({ at, key });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.at <= items[i]!.at) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }

  peek(): Deadline | undefined {
    return this.#items[0];
  }

  /** Removes and returns every entry due at or before `now`, earliest first. */
  popDue(now: number): Deadline[] {
    const due: Deadline[] = [];
    while (this.#items.length > 0 && this.#items[0]!.at <= now) due.push(this.#pop());
    return due;
  }

  #pop(): Deadline {
    const items = this.#items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < items.length && items[l]!.at < items[smallest]!.at) smallest = l;
        if (r < items.length && items[r]!.at < items[smallest]!.at) smallest = r;
        if (smallest === i) break;
        [items[smallest], items[i]] = [items[i]!, items[smallest]!];
        i = smallest;
      }
    }
    return top;
  }
}
