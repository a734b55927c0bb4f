/**
 * Per-address limits on the workers' port: open connections, and registrations per minute (a fixed
 * one-minute window is enough to stop a storm without bookkeeping per attempt).
 */
export class AddressLimiter {
  readonly maxConnections: number;
  readonly maxRegistrationsPerMinute: number;
  #open = new Map<string, number>();
  #registrations = new Map<string, { windowStart: number; count: number }>();

  constructor(maxConnections: number, maxRegistrationsPerMinute: number) {
    this.maxConnections = maxConnections;
    this.maxRegistrationsPerMinute = maxRegistrationsPerMinute;
  }

  /** Counts a new connection; false when the address already holds its maximum. */
  connect(address: string): boolean {
    const open = this.#open.get(address) ?? 0;
    if (this.maxConnections > 0 && open >= this.maxConnections) return false;
    this.#open.set(address, open + 1);
    return true;
  }

  disconnect(address: string): void {
    const open = (this.#open.get(address) ?? 1) - 1;
    if (open <= 0) this.#open.delete(address);
    else this.#open.set(address, open);
  }

  register(address: string, now: number): boolean {
    if (this.maxRegistrationsPerMinute === 0) return true;
    const entry = this.#registrations.get(address);
    if (!entry || now - entry.windowStart >= 60_000) {
      if (this.#registrations.size > 10_000) this.#forgetOld(now);
      this.#registrations.set(address, { windowStart: now, count: 1 });
      return true;
    }
    entry.count++;
    return entry.count <= this.maxRegistrationsPerMinute;
  }

  #forgetOld(now: number): void {
    for (const [address, entry] of this.#registrations) {
      if (now - entry.windowStart >= 60_000) this.#registrations.delete(address);
    }
  }
}
