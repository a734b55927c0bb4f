/** Bounded sliding windows behind the JSON metrics: recent latency samples and per-second counts. */

/** The last `capacity` samples (a ring), for percentiles that follow the current behaviour. */
export class SampleWindow {
  #values: number[] = [];
  #next = 0;
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  add(value: number): void {
    if (this.#values.length < this.capacity) this.#values.push(value);
    else this.#values[this.#next] = value;
    this.#next = (this.#next + 1) % this.capacity;
  }

  values(): readonly number[] {
    return this.#values;
  }
}

/** Counts per second over the last `seconds` seconds, in constant memory however busy it gets. */
export class RateWindow {
  readonly seconds: number;
  #counts: number[];
  #stamps: number[];

  constructor(seconds = 60) {
    this.seconds = seconds;
    this.#counts = new Array<number>(seconds).fill(0);
    this.#stamps = new Array<number>(seconds).fill(-1);
  }

  add(atMs: number, n = 1): void {
    const second = Math.floor(atMs / 1000);
    const slot = second % this.seconds;
    if (this.#stamps[slot] !== second) {
      this.#stamps[slot] = second;
      this.#counts[slot] = 0;
    }
    this.#counts[slot]! += n;
  }

  /** How many were added in the window that ends now. */
  total(nowMs: number): number {
    const now = Math.floor(nowMs / 1000);
    let sum = 0;
    for (let i = 0; i < this.seconds; i++) {
      const stamp = this.#stamps[i]!;
      if (stamp > now - this.seconds && stamp <= now) sum += this.#counts[i]!;
    }
    return sum;
  }
}
