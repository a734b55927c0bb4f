/** Command history for ↑/↓, kept in localStorage so it survives a reload. */

const KEY = 'retire-cluster.history';
const MAX = 500;

export class History {
  #entries: string[];
  /** entries.length = the line being typed (not in the history yet). */
  #index: number;
  #draft = '';
  readonly #storage: Storage | null;

  constructor(storage: Storage | null) {
    this.#storage = storage;
    this.#entries = load(storage);
    this.#index = this.#entries.length;
  }

  get entries(): readonly string[] {
    return this.#entries;
  }

  add(line: string): void {
    const trimmed = line.trim();
    if (trimmed && this.#entries.at(-1) !== trimmed) {
      this.#entries.push(trimmed);
      if (this.#entries.length > MAX) this.#entries.splice(0, this.#entries.length - MAX);
      try {
        this.#storage?.setItem(KEY, JSON.stringify(this.#entries));
      } catch {
        // A full or disabled storage only costs the history across reloads.
      }
    }
    this.#index = this.#entries.length;
    this.#draft = '';
  }

  /** The older entry, or null at the oldest. `current` is kept as the draft when leaving it. */
  previous(current: string): string | null {
    if (this.#index === 0) return null;
    if (this.#index === this.#entries.length) this.#draft = current;
    this.#index -= 1;
    return this.#entries[this.#index]!;
  }

  next(): string | null {
    if (this.#index >= this.#entries.length) return null;
    this.#index += 1;
    return this.#index === this.#entries.length ? this.#draft : this.#entries[this.#index]!;
  }
}

function load(storage: Storage | null): string[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((e): e is string => typeof e === 'string').slice(-MAX) : [];
  } catch {
    return [];
  }
}
